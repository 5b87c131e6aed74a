import Foundation
import ReelMedia

/// Frames of a second video (the presenter) by time, pulled by the compositor: sequential
/// decoding while time moves forward, a seek when it jumps back (a loop, a cut in the edit
/// list) or far ahead. Picks frames like `FrameClock`: at output time t the latest frame
/// whose own time rounds to a slot not after t's, so the presenter and the recording agree.
/// A file with a single picture (PNG, JPEG) is a still: decoded once.
final class VideoFrameReader {
    let path: String
    let stream: StreamInfo
    /// Seconds of picture, from the first frame to the end of the last.
    private(set) var duration: Double
    private let demuxer: Demuxer
    private let decoder: Decoder
    private let frames: DecodedFrames
    private let timeBase: Rational
    let origin: Double
    private let fps: Int
    private var current: (frame: Frame, time: Double)?
    private var upcoming: (frame: Frame, time: Double)?
    private var atStart = true
    private var ended = false
    /// Decoded (and deinterlaced) frames not yet looked at.
    private var decoded: [Frame] = []
    private(set) var isStill = false

    /// Interlaced presenters (a camcorder, a broadcast clip) are deinterlaced as the recording
    /// is (`Deinterlacer`, auto: when the stream or its first frame says interlaced).
    private let deinterlacer: Deinterlacer

    init(path: String, stream: StreamInfo, fps: Int, threads: Int, deinterlace: DeinterlaceMode = .auto) throws {
        self.path = path
        self.stream = stream
        self.fps = fps
        demuxer = try Demuxer(path: path)
        guard let index = demuxer.bestStream(.video) else { throw MediaError(.invalidInput, path: path, "no video stream") }
        // libavcodec's native VP8/VP9 decoders drop the alpha layer WebM keeps beside the
        // picture; libvpx's decoders return it (yuva420p).
        // Automatic threads: the recording's rule (`DecodeStage.automaticThreads`). The
        // presenter's decode is ~4 % of a render's CPU and runs ahead of compose, and each of
        // libvpx's threads (per decoder: colour and alpha) holds buffers of its own.
        decoder = try Decoder(demuxer, stream: index, threads: threads == 0 ? DecodeStage.automaticThreads : threads,
                              preferredDecoder: try AlphaLayer.decoder(path: path, stream: index))
        frames = DecodedFrames(demuxer, decoder: decoder)
        timeBase = decoder.timeBase
        deinterlacer = Deinterlacer(mode: deinterlace, streamIsInterlaced: demuxer.isInterlaced(stream: index), timeBase: timeBase)
        origin = demuxer.startTime(of: index)
        duration = stream.duration ?? demuxer.duration ?? 0
        // Prime: the first frame, and whether there is a second one.
        try advance()
        if upcoming == nil { throw MediaError(.invalidInput, path: path, "no decodable video frames") }
        current = upcoming
        upcoming = nil
        try advance()
        if upcoming == nil {
            isStill = true
            duration = .infinity
        }
    }

    /// The first frame (for sizing and colour).
    var firstFrame: Frame { current!.frame }

    /// The frame shown at `t` seconds of this file (t ≥ 0).
    func frame(at t: Double) throws -> Frame {
        if isStill { return current!.frame }
        let limit = t + 0.5 / Double(fps) - 1e-9
        if let cur = current, (cur.time > limit && !atStart) || t > cur.time + 4 {
            try seek(to: t)
        }
        while let next = upcoming, next.time < limit {
            current = next
            upcoming = nil
            atStart = false
            try advance()
        }
        return current!.frame
    }

    private func seek(to t: Double) throws {
        try frames.seek(to: origin + max(0, t))
        _ = try? deinterlacer.finish()   // the held frame is from before the seek
        ended = false
        decoded = []
        upcoming = nil
        try advance()
        guard let first = upcoming else { return }   // nothing after the seek point: keep what we have
        current = first
        upcoming = nil
        atStart = t <= 0
        try advance()
    }

    /// Decodes until one more frame is waiting in `upcoming` (or the file ends).
    private func advance() throws {
        while upcoming == nil {
            if !decoded.isEmpty {
                let frame = decoded.removeFirst()
                if let t = frame.seconds(in: timeBase) {
                    upcoming = (frame, t - origin)
                    lastFrameTime = max(lastFrameTime, t - origin)
                }
                continue
            }
            if ended { try checkComplete(); return }
            // Damaged packets are concealed by the standard rule (DecodedFrames, DecodeDamage).
            if let frame = try frames.next() {
                decoded = try deinterlacer.pass([frame])
            } else {
                decoded = try deinterlacer.finish()
                ended = true
            }
        }
    }
    private var lastFrameTime = 0.0
    private var checkedEnd = false

    /// A file whose frames stop well before the duration its video stream declares was cut
    /// off: refused like a truncated recording, not shown shortened without a word.
    private func checkComplete() throws {
        guard !checkedEnd else { return }
        checkedEnd = true
        guard let stated = stream.duration, stated.isFinite else { return }
        let end = lastFrameTime + 1 / max(1, demuxer.averageFrameRate(of: decoder.streamIndex) ?? Double(fps))
        if stated - end > max(1.0, stated * 0.1) {
            throw MediaError(.invalidInput, path: path, String(format: "truncated: video ends at %.2f s of the %.2f s the file declares", end, stated))
        }
    }
}
