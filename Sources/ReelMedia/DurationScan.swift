internal import CFFmpeg
import Foundation

/// How long the streams of a file are by their packets (demuxing only, no decoding).
struct PacketSpan {
    /// From the earliest stream start to the latest stream end, in seconds.
    var total: Double
    /// Each stream's length from its own start, in seconds.
    var streams: [Int: Double]
    /// Each stream's end on the file's clock, in seconds.
    var ends: [Int: Double]
    /// Each stream's longest packet, in seconds (how far apart muxers' end marks can be).
    var longestPacket: [Int: Double]
}

extension Probe {
    /// Durations found by reading every packet, for files whose header declares none: WebM
    /// from a browser's MediaRecorder (written live, never finalized), live-muxed Matroska,
    /// raw Annex-B streams. Demuxing only (no decoding), as ffmpeg effectively does by
    /// reading to the end. Each stream ends where its last packet ends; a packet without a
    /// duration (Matroska SimpleBlocks) lasts one nominal frame interval for video.
    ///
    /// With `tailFrom`, only the end of the file is read, from a seek to that time (seconds
    /// on the file's clock; the packet at or before it, keyframe or not) on: how a declared
    /// duration is checked cheaply. Streams are then measured from their own start times.
    /// - Returns: nil when no packet had a timestamp (or the seek failed).
    static func scanDurations(path: String, tailFrom: Double? = nil) throws -> PacketSpan? {
        let demuxer = try Demuxer(path: path)
        if let tailFrom {
            guard (try? demuxer.seekToAnyPacket(at: tailFrom)) != nil else { return nil }
        }
        var first: [Int: Int64] = [:], end: [Int: Int64] = [:], longest: [Int: Int64] = [:]
        var nominal: [Int: Int64] = [:]
        for i in 0..<demuxer.streamCount {
            let s = demuxer.stream(i).pointee
            let rate = s.avg_frame_rate.num > 0 ? s.avg_frame_rate : s.r_frame_rate
            if s.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO, rate.num > 0, rate.den > 0 {
                nominal[i] = av_rescale_q(1, AVRational(num: rate.den, den: rate.num), s.time_base)
            }
        }
        // Raw elementary streams (Annex-B H.264) have no timestamps at all: their packets
        // follow each other, each as long as its duration.
        var next: [Int: Int64] = [:]
        // A packet with a dts and no pts (an MPEG-PS's last picture) is shown as far after
        // its dts as the packets before it were (MPEG-2 in PS: one frame).
        var reorder: [Int: Int64] = [:]
        while let packet = try demuxer.readPacket() {
            let p = packet.pointer.pointee
            // Samples an MP4 edit list leaves out (never shown, as in ffmpeg) end nothing.
            if (p.flags & AV_PKT_FLAG_DISCARD) != 0 { continue }
            let i = Int(p.stream_index)
            if p.pts != NOPTS, p.dts != NOPTS { reorder[i] = p.pts - p.dts }
            let t = p.pts != NOPTS ? p.pts : p.dts != NOPTS ? p.dts + (reorder[i] ?? 0) : next[i] ?? 0
            let length = p.duration > 0 ? p.duration : (nominal[i] ?? 0)
            next[i] = t + length
            first[i] = min(first[i] ?? t, t)
            end[i] = max(end[i] ?? t + length, t + length)
            longest[i] = max(longest[i] ?? 0, length)
        }
        var span = PacketSpan(total: 0, streams: [:], ends: [:], longestPacket: [:])
        var start = Double.infinity, stop = -Double.infinity
        for (i, e) in end {
            let tb = av_q2d(demuxer.stream(i).pointee.time_base)
            let s = demuxer.stream(i).pointee.start_time
            // After a seek the first packet read is not the stream's first.
            if s == NOPTS, tailFrom != nil { continue }
            let origin = s != NOPTS ? s : first[i]!
            span.streams[i] = Double(e - origin) * tb
            span.ends[i] = Double(e) * tb
            span.longestPacket[i] = Double(longest[i] ?? 0) * tb
            start = min(start, Double(origin) * tb)
            stop = max(stop, Double(e) * tb)
        }
        guard stop > start else { return nil }
        span.total = stop - start
        return span
    }

    /// Whether the packets at the end of a file run past the duration its header declares:
    /// an MKV/WebM `Duration` or an MP4 `mvhd`/`mdhd` written short by a muxer or an editor,
    /// or a video stream past its own declared duration (`videoDurations`: an MPEG-PS's
    /// estimate that misses its untimed last picture).
    /// The declared end is counted from the file's start `origin` or from 0, whichever is
    /// later (ffmpeg's Matroska muxer counts from 0 when Opus delay starts the file at −7 ms).
    /// Video counts to 2 ms (Matroska's 1 ms clock rounds; a trim or preview of the last
    /// frames must not be refused); other streams only by more than one of their packets,
    /// since muxers disagree on whether the last audio packet is counted.
    static func runsPastDeclared(_ span: PacketSpan, declared: Double, origin: Double,
                                 videoDurations: [Int: Double?]) -> Bool {
        let declaredEnd = max(declared, origin + declared)
        return span.ends.contains { i, end in
            let over = end - declaredEnd
            guard let own = videoDurations[i] else { return over > (span.longestPacket[i] ?? 0) + 0.002 }
            return over > 0.002 || own.map { (span.streams[i] ?? 0) - $0 > 0.002 } ?? false
        }
    }
}

extension MediaInfo {
    /// The packets decide: the file's duration (when missing or shorter) and each stream's
    /// that is missing or shorter become what the packets hold; the header's number is kept
    /// for `reel probe` to show.
    mutating func usePacketDurations(_ found: PacketSpan) {
        if duration.map({ found.total > $0 + 0.0005 }) ?? true {
            declaredDuration = duration
            duration = found.total
            durationFromPackets = true
        }
        for k in streams.indices {
            guard let end = found.streams[streams[k].index] else { continue }
            if streams[k].duration.map({ end > $0 + 0.0005 }) ?? true { streams[k].duration = end }
        }
    }
}
