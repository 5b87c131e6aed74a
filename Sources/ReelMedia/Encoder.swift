internal import CFFmpeg
internal import CReelShims
import Foundation

/// H.264 settings for the Douyin-ready output (see DESIGN.md "The output").
public struct VideoEncoderSettings: Sendable {
    public var encoder: String = "libx264"
    public var width: Int = 1080
    public var height: Int = 1920
    public var fps: Int = 30
    public var crf: Int = 20
    public var preset: String = "veryfast"
    /// VBV cap so uploads stay sane.
    public var maxRateKbps: Int = 12000
    /// Keyframe interval in seconds (closed GOP).
    public var keyframeSeconds: Int = 2
    /// Encoder threads (0 = libav decides). Fixed by --deterministic.
    public var threads: Int = 0
    public var deterministic: Bool = false
    public init() {}

    /// H.264 level fitting size and rate: 4.1 up to 1080p30-class, 4.2 for 1080p60-class, 5.1 above.
    public var level: Int {
        let macroblocksPerSecond = ((width + 15) / 16) * ((height + 15) / 16) * fps
        if macroblocksPerSecond <= 245_760 { return 41 }
        if macroblocksPerSecond <= 522_240 { return 42 }
        return 51
    }
}

/// Wraps an opened libavcodec encoder; frames in, packets out.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class Encoder: @unchecked Sendable {
    let context: UnsafeMutablePointer<AVCodecContext>
    public let name: String

    /// x264's presets (x264_preset_names in x264.h), fastest first.
    public static let x264Presets = ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                                     "slower", "veryslow", "placebo"]

    /// x264's frame threads when none are asked for. x264's own default is 1.5 x cores; on up
    /// to 2 cores, where reel's decode and compose threads share them, one per core measured
    /// the same bitrate, SSIM and PSNR (to 5 digits), 2.6 % less CPU and 23 MiB less peak
    /// memory (1080x1920 veryfast crf 20, see README "Performance"). 0 = x264 decides.
    static let x264AutomaticThreads: Int = {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return cores <= 2 ? cores : 0
    }()

    /// Whether this libavcodec has an H.264 (or any) encoder by that name.
    public static func exists(_ name: String) -> Bool { avcodec_find_encoder_by_name(name) != nil }

    /// Opens an H.264 encoder with the output spec: High profile, level, yuv420p, BT.709 limited
    /// tags, closed GOP with a keyframe every `keyframeSeconds`, CRF with a VBV cap.
    public init(video s: VideoEncoderSettings, globalHeader: Bool) throws {
        guard let codec = avcodec_find_encoder_by_name(s.encoder) else {
            throw MediaError(.unavailable, path: s.encoder, "no such encoder in this libavcodec (try libx264)")
        }
        guard codec.pointee.type == AVMEDIA_TYPE_VIDEO, codec.pointee.id == AV_CODEC_ID_H264 else {
            throw MediaError(.unavailable, path: s.encoder, "not an H.264 video encoder")
        }
        guard let ctx = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        context = ctx
        name = s.encoder
        let c = ctx
        c.pointee.width = Int32(s.width)
        c.pointee.height = Int32(s.height)
        c.pointee.time_base = AVRational(num: 1, den: Int32(s.fps))
        c.pointee.framerate = AVRational(num: Int32(s.fps), den: 1)
        c.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        c.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        c.pointee.color_range = AVCOL_RANGE_MPEG
        c.pointee.color_primaries = AVCOL_PRI_BT709
        c.pointee.color_trc = AVCOL_TRC_BT709
        c.pointee.colorspace = AVCOL_SPC_BT709
        c.pointee.chroma_sample_location = AVCHROMA_LOC_LEFT
        c.pointee.gop_size = Int32(s.fps * s.keyframeSeconds)
        c.pointee.keyint_min = 1
        c.pointee.flags |= Int32(bitPattern: AV_CODEC_FLAG_CLOSED_GOP)
        c.pointee.profile = reel_profile_h264_high()
        c.pointee.level = Int32(s.level)
        c.pointee.rc_max_rate = Int64(s.maxRateKbps) * 1000
        c.pointee.rc_buffer_size = Int32(s.maxRateKbps * 2000)
        c.pointee.thread_count = Int32(s.deterministic ? max(s.threads, 1)
                                       : (s.threads == 0 && s.encoder == "libx264" ? Self.x264AutomaticThreads : s.threads))
        if globalHeader { c.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        if s.deterministic { c.pointee.flags |= AV_CODEC_FLAG_BITEXACT }

        var options: OpaquePointer? = nil
        defer { av_dict_free(&options) }
        if s.encoder == "libx264" {
            // x264 prints an unknown preset's error itself, straight to stderr: name it here instead.
            guard Self.x264Presets.contains(s.preset) else {
                throw MediaError(.unavailable, path: s.encoder,
                                 "unknown preset '\(s.preset)' (one of \(Self.x264Presets.joined(separator: ", ")))")
            }
            av_dict_set(&options, "preset", s.preset, 0)
            av_dict_set(&options, "crf", "\(s.crf)", 0)
            av_dict_set(&options, "profile", "high", 0)
            // Closed GOPs of fixed maximum length; scenecut may add keyframes earlier, never later.
            // x264's `profile` is only a ceiling: it writes the lowest profile the features used
            // need, and ultrafast turns off CABAC and the 8x8 transform (Constrained Baseline).
            // The 8x8 transform is a High-only tool, so with it every preset writes High.
            var params = "open-gop=0:keyint=\(s.fps * s.keyframeSeconds):8x8dct=1"
            if s.deterministic { params += ":threads=\(max(s.threads, 1))" }
            av_dict_set(&options, "x264-params", params, 0)
        } else {
            // Other H.264 encoders (nvenc, vaapi, openh264…) take what they understand.
            av_dict_set(&options, "preset", s.preset, 0)
            av_dict_set(&options, "profile", "high", 0)
            av_dict_set(&options, "cq", "\(s.crf)", 0)
        }
        // On failure the context is freed once, by deinit (every stored property is set by now,
        // so Swift runs deinit for a throwing init): freeing it here too was a double free.
        let opened = avcodec_open2(ctx, codec, &options)
        if opened < 0 {
            throw MediaError(.unavailable, path: s.encoder, "cannot open encoder: \(averrorText(opened))")
        }
    }

    /// Opens the AAC-LC encoder: 48 kHz stereo, `bitrate` bits per second.
    public init(aacSampleRate rate: Int, bitrate: Int, globalHeader: Bool) throws {
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_AAC) else {
            throw MediaError(.unavailable, path: "aac", "no AAC encoder in this libavcodec")
        }
        guard let ctx = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        context = ctx
        name = String(cString: codec.pointee.name)
        ctx.pointee.sample_rate = Int32(rate)
        ctx.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        reel_channel_layout_stereo(&ctx.pointee.ch_layout)
        ctx.pointee.bit_rate = Int64(bitrate)
        ctx.pointee.profile = reel_profile_aac_low()
        ctx.pointee.time_base = AVRational(num: 1, den: Int32(rate))
        if globalHeader { ctx.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        let opened = avcodec_open2(ctx, codec, nil)
        if opened < 0 {
            throw MediaError(.unavailable, path: "aac", "cannot open encoder: \(averrorText(opened))")
        }
    }

    deinit {
        var c: UnsafeMutablePointer<AVCodecContext>? = context
        avcodec_free_context(&c)
    }

    /// Samples of encoder delay (AAC priming) that decoders output before the first input sample.
    public var initialPadding: Int { Int(context.pointee.initial_padding) }

    /// Samples per audio frame the encoder wants (1024 for AAC).
    public var frameSize: Int { Int(context.pointee.frame_size) }

    /// Sends a frame (nil = flush) and returns the packets now ready, in the encoder's time base.
    public func encode(_ frame: Frame?) throws -> [Packet] {
        if let frame, context.pointee.codec_type == AVMEDIA_TYPE_VIDEO { Self.clearSourceDecisions(frame) }
        var code = avcodec_send_frame(context, frame?.pointer)
        var packets: [Packet] = []
        if code == AVERROR_EAGAIN_CODE {
            packets = try drain()
            code = avcodec_send_frame(context, frame?.pointer)
        }
        if code < 0, code != AVERROR_EOF_CODE { try check(code, path: name, "encoding") }
        return packets + (try drain())
    }

    /// A composed picture still carries its source frame's properties (libavfilter and
    /// `av_frame_copy_props` pass them on). libx264 turns a frame's picture type into a forced
    /// frame type, so an all-intra source (MJPEG, ProRes, an intra-only H.264) came out all
    /// I-frames and every other source's output followed its I/P/B pattern; A53 side data would
    /// become the output's captions. The output's frame types and SEI are the encoder's own.
    private static func clearSourceDecisions(_ frame: Frame) {
        let f = frame.pointer
        f.pointee.pict_type = AV_PICTURE_TYPE_NONE
        f.pointee.key_frame = 0
        while f.pointee.nb_side_data > 0, let data = f.pointee.side_data[0] {
            av_frame_remove_side_data(f, data.pointee.type)
        }
    }

    private func drain() throws -> [Packet] {
        var packets: [Packet] = []
        while true {
            let packet = Packet()
            let code = avcodec_receive_packet(context, packet.pointer)
            if code == AVERROR_EAGAIN_CODE || code == AVERROR_EOF_CODE { return packets }
            try check(code, path: name, "encoding")
            packets.append(packet)
        }
    }

    /// A planar float audio frame the encoder accepts, filled from the given channels.
    public func makeAudioFrame(_ channels: [[Float]], range: Range<Int>, pts: Int64) throws -> Frame {
        let frame = Frame()
        let f = frame.pointer
        f.pointee.nb_samples = Int32(range.count)
        f.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        f.pointee.sample_rate = context.pointee.sample_rate
        av_channel_layout_copy(&f.pointee.ch_layout, &context.pointee.ch_layout)
        try frame.allocateBuffers("an audio frame of \(range.count) samples")
        for (c, samples) in channels.enumerated() {
            guard c < Int(f.pointee.ch_layout.nb_channels), let data = f.pointee.extended_data[c] else {
                throw MediaError(.internalFailure, path: name, "audio frame has no plane \(c)")
            }
            let plane = UnsafeMutableRawPointer(data).assumingMemoryBound(to: Float.self)
            samples.withUnsafeBufferPointer { src in
                plane.update(from: src.baseAddress! + range.lowerBound, count: range.count)
            }
        }
        f.pointee.pts = pts
        return frame
    }
}
