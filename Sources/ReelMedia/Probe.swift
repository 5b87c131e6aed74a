internal import CFFmpeg
internal import CReelShims
import Foundation

/// Reads what reel sees in a file: streams, sizes, rotation, frame rate (and whether it is
/// variable), colour tags, audio format, duration.
public enum Probe {
    /// FLV's duration is a number in its onMetaData tag, written by whichever tool made the
    /// file (OBS, nginx-rtmp, flvtool…): often the last video timestamp without the last
    /// frame, or without the audio that runs on past the video. Only the tags' own
    /// timestamps say how long the streams are, so the packets are read (demuxing only).
    static func durationIsOnlyDeclared(_ container: String) -> Bool {
        container == "flv" || container == "live_flv"
    }

    /// How far before the declared end the check starts reading: packets come in decode
    /// order, and the picture that ends the stream can be a few packets before the last.
    static let tailSeconds = 1.0

    /// Matroska/WebM, MP4/MOV and AVI headers carry a duration that a muxer or an editor can
    /// write shorter than the packets (`Duration`, `mvhd`/`mdhd`, `dwLength`), and all three
    /// have an index to seek near the end by: their tail is read to check the header. MPEG-PS
    /// durations come from libavformat's reading of the last timestamps, which misses a last
    /// picture that has only a dts. (Ogg's timestamps after a seek to the end are not
    /// reliable enough to overrule its header.)
    static func declaredDurationIsChecked(_ container: String) -> Bool {
        container == "matroska,webm" || container.hasPrefix("mov,mp4") || container == "avi" || container == "mpeg"
    }

    /// - Parameter scanPackets: how many video packets to read to decide whether the frame
    ///   rate is variable (container frame-rate fields cannot be trusted for that).
    ///   - measureLoudness: also decode the best audio stream and measure its loudness (slow:
    ///     reads the whole stream).
    public static func inspect(path: String, scanPackets: Int = 600, measureLoudness: Bool = false) throws -> MediaInfo {
        let demuxer = try Demuxer(path: path)
        var streams: [StreamInfo] = []
        for i in 0..<demuxer.streamCount {
            streams.append(streamInfo(demuxer.stream(i)))
        }
        var info = MediaInfo(path: path, container: demuxer.containerName, duration: demuxer.duration, streams: streams)
        if info.duration == nil || durationIsOnlyDeclared(demuxer.containerName), let found = try scanDurations(path: path) {
            if let declared = info.duration, found.total <= declared + 0.0005 {
                // The declaration holds: keep the header's numbers.
            } else {
                info.usePacketDurations(found)
            }
        } else if let declared = info.duration, declaredDurationIsChecked(demuxer.containerName),
                  let found = try? scanDurations(path: path, tailFrom: demuxer.formatStartTime + declared - tailSeconds),
                  runsPastDeclared(found, declared: declared, origin: demuxer.formatStartTime,
                                   videoDurations: Dictionary(uniqueKeysWithValues: streams.filter { $0.kind == .video }.map { ($0.index, $0.duration) })) {
            // A header that declares less than the file holds (an MKV `Duration`, an MP4
            // `mvhd`/`mdhd` written short): the end of the file is read to check, cheaply.
            info.usePacketDurations(found)
        }
        if let v = demuxer.bestStream(.video) {
            if let k = info.streams.firstIndex(where: { $0.index == v }), info.streams[k].hasAlpha != true,
               try AlphaLayer.decoder(path: path, stream: v) != nil {
                info.streams[k].hasAlpha = true   // alpha on the blocks, no alpha_mode flag
            }
            let deltas = try packetIntervals(demuxer, stream: v, limit: scanPackets)
            if let k = info.streams.firstIndex(where: { $0.index == v }) {
                info.streams[k].isVariableFrameRate = isVariable(deltas)
                let tb = demuxer.timeBase(of: v)
                if !isVariable(deltas), let measured = measuredRate(deltas),
                   (info.streams[k].averageFrameRate?.value ?? 1000) > 240 || tb.value >= 0.001 {
                    info.streams[k].averageFrameRate = measured
                }
            }
        }
        if measureLoudness { info.loudness = try LoudnessMeter.measure(path: path) }
        return info
    }

    /// Intervals between consecutive presentation times of the first `limit` packets, in seconds.
    static func packetIntervals(_ demuxer: Demuxer, stream: Int, limit: Int) throws -> [Double] {
        demuxer.keepOnly([stream])
        let tb = av_q2d(demuxer.stream(stream).pointee.time_base)
        var times: [Int64] = []
        while times.count < limit, let packet = try? demuxer.readPacket() {
            guard packet.streamIndex == stream else { continue }   // packets buffered before discard was set
            let p = packet.pointer.pointee
            let t = p.pts != NOPTS ? p.pts : p.dts
            if t != NOPTS { times.append(t) }
        }
        times.sort()
        // Packets come in decode order; when the scan stops early, B-frames after the cut
        // would leave holes at the end of the sorted list, so the tail is not judged.
        if times.count >= limit { times.removeLast(min(16, times.count)) }
        guard times.count > 2 else { return [] }
        return zip(times.dropFirst(), times).map { Double($0 - $1) * tb }
    }

    /// The frame rate of constant-rate packets from their whole span, snapped to a common
    /// rate within 0.5 %. Containers with a 1 ms clock (FLV, Matroska) round every interval
    /// (33, 34, 33 ms), so libavformat's guesses read 1000/33 or even 1000 fps (its time base)
    /// when the codec carries no timing of its own.
    static func measuredRate(_ deltas: [Double]) -> Rational? {
        let span = deltas.reduce(0, +)
        guard deltas.count >= 4, span > 0 else { return nil }
        let rate = Double(deltas.count) / span
        let common = [Rational(24000, 1001), Rational(24, 1), Rational(25, 1), Rational(30000, 1001), Rational(30, 1),
                      Rational(48, 1), Rational(50, 1), Rational(60000, 1001), Rational(60, 1), Rational(120, 1)]
        if let near = common.min(by: { abs($0.value - rate) < abs($1.value - rate) }), abs(near.value - rate) < near.value * 0.005 {
            return near
        }
        return Rational(Int((rate * 1000).rounded()), 1000)
    }

    /// Variable when frame intervals differ by more than 10% of the typical one (timestamp
    /// rounding in containers such as Matroska's 1 ms clock stays well inside that).
    static func isVariable(_ deltas: [Double]) -> Bool {
        let positive = deltas.filter { $0 > 0 }.sorted()
        guard positive.count > 2 else { return false }
        let median = positive[positive.count / 2]
        return positive.contains { abs($0 - median) > median * 0.1 + 0.0015 }
    }

    static func streamInfo(_ s: UnsafeMutablePointer<AVStream>) -> StreamInfo {
        let par = s.pointee.codecpar.pointee
        let kind: StreamInfo.Kind
        switch par.codec_type {
        case AVMEDIA_TYPE_VIDEO: kind = .video
        case AVMEDIA_TYPE_AUDIO: kind = .audio
        case AVMEDIA_TYPE_SUBTITLE: kind = .subtitle
        case AVMEDIA_TYPE_DATA: kind = .data
        case AVMEDIA_TYPE_ATTACHMENT: kind = .attachment
        default: kind = .unknown
        }
        let tb = s.pointee.time_base
        var info = StreamInfo(index: Int(s.pointee.index), kind: kind,
                              codec: codecName(s.pointee.codecpar))
        if let p = avcodec_profile_name(par.codec_id, par.profile) { info.profile = String(cString: p) }
        if s.pointee.duration != NOPTS, s.pointee.duration > 0 { info.duration = Double(s.pointee.duration) * av_q2d(tb) }
        info.isAttachedPicture = (s.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0
        if kind == .video {
            info.width = Int(par.width)
            info.height = Int(par.height)
            let sar = s.pointee.sample_aspect_ratio.num > 0 ? s.pointee.sample_aspect_ratio : par.sample_aspect_ratio
            info.sampleAspectRatio = sar.num > 0 ? Rational(Int(sar.num), Int(sar.den)) : Rational(1, 1)
            var clockwise: Int32 = 0, mirror: Int32 = 0
            reel_stream_orientation(s, &clockwise, &mirror)
            info.rotation = Int(clockwise)
            info.mirrored = mirror != 0
            let r = s.pointee.r_frame_rate, a = s.pointee.avg_frame_rate
            if r.den > 0, r.num > 0 { info.frameRate = Rational(Int(r.num), Int(r.den)) }
            if a.den > 0, a.num > 0 { info.averageFrameRate = Rational(Int(a.num), Int(a.den)) }
            let fmt = AVPixelFormat(par.format)
            if let name = av_get_pix_fmt_name(fmt) { info.pixelFormat = String(cString: name) }
            if let desc = av_pix_fmt_desc_get(fmt) {
                info.bitDepth = Int(desc.pointee.comp.0.depth)
                info.hasAlpha = (desc.pointee.flags & UInt64(AV_PIX_FMT_FLAG_ALPHA)) != 0
            }
            // WebM keeps VP8/VP9 alpha beside the picture (BlockAdditional), flagged by the
            // track's alpha_mode; the stream's pixel format (from the colour planes) says yuv420p.
            if let e = av_dict_get(s.pointee.metadata, "alpha_mode", nil, 0), String(cString: e.pointee.value) == "1",
               par.codec_id == AV_CODEC_ID_VP8 || par.codec_id == AV_CODEC_ID_VP9 {
                info.hasAlpha = true
            }
            switch par.field_order {
            case AV_FIELD_TT: info.fieldOrder = "tt"
            case AV_FIELD_BB: info.fieldOrder = "bb"
            case AV_FIELD_TB: info.fieldOrder = "tb"
            case AV_FIELD_BT: info.fieldOrder = "bt"
            default: break
            }
            info.colorRange = String(cString: av_color_range_name(par.color_range))
            info.colorSpace = String(cString: av_color_space_name(par.color_space))
            info.colorPrimaries = String(cString: av_color_primaries_name(par.color_primaries))
            info.colorTransfer = String(cString: av_color_transfer_name(par.color_trc))
        } else if kind == .audio {
            info.sampleRate = Int(par.sample_rate)
            info.channels = Int(par.ch_layout.nb_channels)
            var layout = par.ch_layout
            var buf = [CChar](repeating: 0, count: 64)
            if av_channel_layout_describe(&layout, &buf, buf.count) > 0 { info.channelLayout = String(cBuffer: buf) }
            if let name = av_get_sample_fmt_name(AVSampleFormat(par.format)) { info.sampleFormat = String(cString: name) }
        }
        return info
    }
}
