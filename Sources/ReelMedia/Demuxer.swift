internal import CFFmpeg
internal import CReelShims
import Foundation

/// Opens a media file and reads its packets in file order.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class Demuxer: @unchecked Sendable {
    let context: UnsafeMutablePointer<AVFormatContext>
    public let path: String
    /// The file as reel opened and checked it; libav reads it through `io` (custom I/O)
    /// and never opens the path itself (see `InputFile.open`).
    private let file: InputFile.Opened
    private let io: UnsafeMutablePointer<AVIOContext>

    public init(path: String) throws {
        let file = try InputFile.open(path)
        if file.size == 0 { throw MediaError(.invalidInput, path: path, "empty file") }

        // Allocated first so libav's reads poll the cancellation flag (Ctrl-C during a probe).
        guard let allocated = avformat_alloc_context() else {
            throw MediaError(.internalFailure, path: path, "out of memory opening the file")
        }
        guard let io = reel_avio_reader(file.descriptor) else {
            avformat_free_context(allocated)
            throw MediaError(.internalFailure, path: path, "out of memory opening the file")
        }
        reel_install_interrupt(allocated)
        allocated.pointee.pb = io
        var ctx: UnsafeMutablePointer<AVFormatContext>? = allocated
        reel_clear_last_log_message()
        // The path still names the file for libav: probing by extension, messages.
        let opened = avformat_open_input(&ctx, path, nil, nil)
        guard opened >= 0, let ctx else {
            // libav freed the format context, not the custom I/O.
            var pb: UnsafeMutablePointer<AVIOContext>? = io
            reel_avio_reader_free(&pb)
            try Cancellation.check()
            throw MediaError(.invalidInput, path: path, "not a readable media file: \(averrorText(opened))")
        }
        context = ctx
        self.path = path
        self.file = file
        self.io = io
        let found = avformat_find_stream_info(ctx, nil)
        if found < 0 {
            // Closed once, by deinit (all stored properties are set, so it runs).
            throw MediaError(.invalidInput, path: path, "cannot read stream information: \(averrorText(found))")
        }
    }

    deinit {
        var c: UnsafeMutablePointer<AVFormatContext>? = context
        avformat_close_input(&c)
        var pb: UnsafeMutablePointer<AVIOContext>? = io
        reel_avio_reader_free(&pb)
        _ = file   // closed after libav let go of it
    }

    var streamCount: Int { Int(context.pointee.nb_streams) }

    func stream(_ index: Int) -> UnsafeMutablePointer<AVStream> {
        context.pointee.streams[index]!
    }

    /// The index of the best stream of a kind (what ffmpeg would pick), or nil.
    public func bestStream(_ kind: StreamInfo.Kind) -> Int? {
        let type: AVMediaType = kind == .video ? AVMEDIA_TYPE_VIDEO : AVMEDIA_TYPE_AUDIO
        let index = av_find_best_stream(context, type, -1, -1, nil, 0)
        guard index >= 0 else { return nil }
        if kind == .video, (stream(Int(index)).pointee.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0 { return nil }
        return Int(index)
    }

    /// Stream time base as a Rational.
    public func timeBase(of index: Int) -> Rational {
        let tb = stream(index).pointee.time_base
        return Rational(Int(tb.num), Int(tb.den))
    }

    /// Start time of a stream in seconds (0 when unknown).
    public func startTime(of index: Int) -> Double {
        let s = stream(index).pointee
        guard s.start_time != NOPTS else { return 0 }
        return Double(s.start_time) * av_q2d(s.time_base)
    }

    /// The file's start in seconds (its earliest stream start; 0 when unknown): where a
    /// declared duration is counted from.
    public var formatStartTime: Double {
        context.pointee.start_time != NOPTS ? Double(context.pointee.start_time) / Double(AV_TIME_BASE) : 0
    }

    /// Only packets of these streams are returned; the demuxer skips the rest cheaply.
    public func keepOnly(_ indices: Set<Int>) {
        for i in 0..<streamCount {
            stream(i).pointee.discard = indices.contains(i) ? AVDISCARD_DEFAULT : AVDISCARD_ALL
        }
    }

    /// The next packet, or nil at the end of the file. Read errors other than EOF throw:
    /// a truncated or corrupt file is reported, not silently shortened.
    public func readPacket() throws -> Packet? {
        let packet = Packet()
        let code = av_read_frame(context, packet.pointer)
        if code == AVERROR_EOF_CODE { return nil }
        if code < 0 {
            try Cancellation.check()
            // Some demuxers report the end of a cut-off file as an I/O error; either way the file is damaged.
            throw MediaError(.invalidInput, path: path, "damaged or truncated media: \(averrorText(code))")
        }
        return packet
    }

    /// Seek so that the next packets start at or before `seconds` (a keyframe). With
    /// `keyframeOf`, checks that the first keyframe of that stream read after the seek is not
    /// later than `seconds`, stepping back until it is: MPEG-TS and MPEG-PS have no index,
    /// and their timestamp search lands on any packet before the target, so decoding began
    /// at the next keyframe, after the target (and a one-frame range got no picture at all).
    public func seek(to seconds: Double, keyframeOf stream: Int?) throws {
        var target = seconds
        try seek(to: target)
        guard let stream else { return }
        // A second before the first pts: MPEG-TS seeks by dts, which starts before it.
        let earliest = startTime(of: stream) - 1
        for step in [0.5, 1, 2, 4, 8, 16, 32, 64] {
            // No keyframe before the end counts as too late too.
            if let key = try firstKeyframeTime(stream: stream), key <= seconds + 0.0005 { break }
            if target <= earliest { break }
            target = max(earliest, seconds - step)
            try seek(to: target)
        }
        try seek(to: target)
    }

    /// Time in seconds of the first keyframe packet of `stream` from here (nil: none within
    /// a few thousand packets, or the end). A keyframe with a pts is preferred: when an
    /// MPEG-PS seek lands inside a picture, the parser gives the PES's pts to that picture's
    /// tail and the next whole picture has only a dts, a frame early (decoded, it is labelled
    /// a frame late, and a one-frame range got nothing). Streams without pts use the dts.
    private func firstKeyframeTime(stream: Int) throws -> Double? {
        let tb = av_q2d(self.stream(stream).pointee.time_base)
        var byDts: Double?
        var afterDts = 0
        for _ in 0..<5000 {
            guard let packet = try readPacket() else { return byDts }
            let p = packet.pointer.pointee
            guard Int(p.stream_index) == stream else { continue }
            if byDts != nil { afterDts += 1; if afterDts > 64 { return byDts } }
            guard (p.flags & AV_PKT_FLAG_KEY) != 0 else { continue }
            if p.pts != NOPTS { return Double(p.pts) * tb }
            if byDts == nil, p.dts != NOPTS { byDts = Double(p.dts) * tb }
        }
        return byDts
    }

    /// Seek so that the next packets start at or before `seconds` (a keyframe).
    public func seek(to seconds: Double) throws {
        let ts = Int64(seconds * Double(AV_TIME_BASE))
        let code = avformat_seek_file(context, -1, Int64.min, ts, ts, 0)
        if code < 0, context.pointee.start_time == NOPTS, av_seek_frame(context, -1, 0, AVSEEK_FLAG_BYTE) >= 0 {
            // Raw elementary streams (Annex-B H.264) have no timestamps to seek by: start again
            // from the first byte; the caller drops the frames before its target, as after any
            // seek to an earlier keyframe.
            return
        }
        try check(code, .invalidInput, path: path, "cannot seek to \(seconds) s")
    }

    /// Seek to the packet at or before `seconds`, keyframe or not: for reading timestamps
    /// (demuxing only), where decoding would need a keyframe and reading does not. In an MP4
    /// with one keyframe (some screen recorders) a keyframe seek would mean reading it all.
    func seekToAnyPacket(at seconds: Double) throws {
        let ts = Int64(seconds * Double(AV_TIME_BASE))
        try check(avformat_seek_file(context, -1, Int64.min, ts, ts, AVSEEK_FLAG_ANY), .invalidInput, path: path,
                  "cannot seek to \(seconds) s")
    }

    /// A stream's metadata tag (e.g. WebM's `alpha_mode`), if present.
    public func tag(_ key: String, stream index: Int) -> String? {
        guard let entry = av_dict_get(stream(index).pointee.metadata, key, nil, 0), let value = entry.pointee.value else { return nil }
        return String(cString: value)
    }

    /// The codec's short name (h264, vp9, png, …).
    public func codecName(of index: Int) -> String {
        ReelMedia.codecName(stream(index).pointee.codecpar)
    }

    /// Time in seconds of the last keyframe at or before `seconds` in the container's index
    /// (what a seek would land on), or nil when the index does not say (no index yet, GIF, …).
    public func keyframeTime(atOrBefore seconds: Double, stream index: Int) -> Double? {
        let s = stream(index)
        let tb = s.pointee.time_base
        guard tb.num > 0, tb.den > 0 else { return nil }
        let ts = Int64((seconds / av_q2d(tb)).rounded(.down))
        let i = av_index_search_timestamp(s, ts, AVSEEK_FLAG_BACKWARD)
        guard i >= 0, let entry = avformat_index_get_entry(s, i) else { return nil }
        return Double(entry.pointee.timestamp) * av_q2d(tb)
    }

    public var containerName: String { String(cString: context.pointee.iformat.pointee.name) }

    /// Duration in seconds from the container, if known.
    public var duration: Double? {
        context.pointee.duration > 0 ? Double(context.pointee.duration) / Double(AV_TIME_BASE) : nil
    }
}

extension Demuxer {
    /// The stream's average frame rate in frames per second, if known.
    public func averageFrameRate(of index: Int) -> Double? {
        let s = stream(index).pointee
        let r = s.avg_frame_rate.num > 0 ? s.avg_frame_rate : s.r_frame_rate
        return r.num > 0 && r.den > 0 ? av_q2d(r) : nil
    }
}
