internal import CFFmpeg
import Foundation

extension Probe {
    /// Durations found by reading every packet, for files whose header declares none: WebM
    /// from a browser's MediaRecorder (written live, never finalized), live-muxed Matroska,
    /// raw Annex-B streams. Demuxing only (no decoding), as ffmpeg effectively does by
    /// reading to the end. Each stream ends where its last packet ends; a packet without a
    /// duration (Matroska SimpleBlocks) lasts one nominal frame interval for video.
    /// - Returns: the container's duration and each stream's, in seconds, or nil when no
    ///   packet had a timestamp.
    static func scanDurations(path: String) throws -> (total: Double, streams: [Int: Double])? {
        let demuxer = try Demuxer(path: path)
        var first: [Int: Int64] = [:], end: [Int: Int64] = [:]
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
        while let packet = try demuxer.readPacket() {
            let p = packet.pointer.pointee
            let i = Int(p.stream_index)
            let t = p.pts != NOPTS ? p.pts : p.dts != NOPTS ? p.dts : next[i] ?? 0
            let length = p.duration > 0 ? p.duration : (nominal[i] ?? 0)
            next[i] = t + length
            first[i] = min(first[i] ?? t, t)
            end[i] = max(end[i] ?? t + length, t + length)
        }
        var streams: [Int: Double] = [:]
        var start = Double.infinity, stop = -Double.infinity
        for (i, e) in end {
            let tb = av_q2d(demuxer.stream(i).pointee.time_base)
            let s = demuxer.stream(i).pointee.start_time
            let origin = s != NOPTS ? s : first[i]!
            streams[i] = Double(e - origin) * tb
            start = min(start, Double(origin) * tb)
            stop = max(stop, Double(e) * tb)
        }
        guard stop > start else { return nil }
        return (stop - start, streams)
    }
}
