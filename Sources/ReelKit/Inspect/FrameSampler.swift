import Foundation
import ReelMedia

/// Decodes the pictures shown at chosen moments of a video without decoding all of it.
/// For each moment it picks the first frame whose time is at or after it (the last frame
/// when the moment is past the end). It seeks only when the container's index says a
/// keyframe lies beyond what has already been decoded (otherwise decoding on is cheaper),
/// and frames no other frame refers to are skipped until the wanted one is near.
final class FrameSampler {
    struct Sample {
        /// The moment asked for, seconds from the first frame.
        let requested: Double
        /// The picked frame's own time, seconds from the first frame.
        let time: Double
        let frame: Frame
        /// The moment lies after the last frame; `frame` is the last one.
        let pastEnd: Bool
    }

    private let demuxer: Demuxer
    private let decoder: Decoder
    private let frames: DecodedFrames
    private let stream: Int
    /// Time of the stream's first frame: moments are measured from it.
    private let origin: Double
    /// Where frames stop, as far as the container knows (limits skipping near the end).
    private let duration: Double?
    /// Frames the decoder produced (skipped ones are not decoded): how much work sampling took.
    private(set) var decodedFrames = 0

    /// Decoded frames not looked at yet, in display order.
    private var pending: [(time: Double, frame: Frame)] = []
    /// The last frame looked at: the pick for a moment, or the last frame at the end.
    private var latest: (time: Double, frame: Frame)?
    /// Nothing has been looked at since the last seek.
    private var justSeeked = false
    private var endReached = false

    init(path: String, stream: Int, duration: Double?) throws {
        demuxer = try Demuxer(path: path)
        decoder = try Decoder(demuxer, stream: stream)
        // Damaged packets are concealed as in render (DecodedFrames' standard rule).
        frames = DecodedFrames(demuxer, decoder: decoder)
        self.stream = stream
        origin = demuxer.startTime(of: stream)
        self.duration = duration
    }

    /// Calls `body` with the sample for each moment of `times` (ascending), one at a time,
    /// so each picture can be used and dropped before the next is decoded.
    func sample(_ times: [Double], _ body: (Sample) throws -> Void) throws {
        precondition(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "moments must ascend")
        for t in times { try body(try sample(at: t)) }
    }

    private func sample(at t: Double) throws -> Sample {
        // Frame times are rounded in files; a millisecond early still counts as "at t".
        let wanted = t - 0.001
        if let latest, latest.time >= wanted { return Sample(requested: t, time: latest.time, frame: latest.frame, pastEnd: false) }
        if !endReached { try seekIfWorthIt(to: t) }
        var backoff = 0.0
        while true {
            if pending.isEmpty {
                if endReached {
                    guard let latest else { throw MediaError(.invalidInput, path: demuxer.path, "no picture could be decoded") }
                    return Sample(requested: t, time: latest.time, frame: latest.frame, pastEnd: true)
                }
                try decodeMore(towards: t)
                continue
            }
            let next = pending.removeFirst()
            // A seek can land after t: an index holds decode times, a little before display
            // times. Then go back further (1 s, 2 s, …) and decode forward.
            if justSeeked, next.time > t + 0.001, backoff < t {
                backoff = backoff == 0 ? 1 : backoff * 2
                if try restart(at: max(0, t - backoff)) { continue }
            }
            justSeeked = false
            latest = next
            if next.time >= wanted { return Sample(requested: t, time: next.time, frame: next.frame, pastEnd: false) }
        }
    }

    /// Reads one packet of the stream (or flushes at the end) and queues the frames it yields.
    private func decodeMore(towards t: Double) throws {
        // A frame shown before t is never picked, so it need not be decoded unless others
        // refer to it; near the end it might be the last frame, so decode everything there.
        frames.skipNonReferenceFramesBefore = min(t, (duration ?? t) - 0.5) - 0.001
        if let batch = try frames.nextBatch() { queue(batch.frames) }
        endReached = frames.isAtEnd
    }

    private func queue(_ frames: [Frame]) {
        decodedFrames += frames.count
        for frame in frames {
            let time = frame.seconds(in: decoder.timeBase).map { $0 - origin } ?? (latest?.time ?? 0)
            pending.append((time, frame))
        }
    }

    /// Seeks when the keyframe before t lies beyond everything decoded so far.
    private func seekIfWorthIt(to t: Double) throws {
        let decodedUpTo = pending.last?.time ?? latest?.time ?? 0
        guard let keyframe = demuxer.keyframeTime(atOrBefore: origin + t, stream: stream).map({ $0 - origin }) else {
            // No index (yet): seek only across a long stretch, as the demuxer may have to scan.
            if t - decodedUpTo > 2 { try restart(at: t) }
            return
        }
        if keyframe > decodedUpTo + 0.001 { try restart(at: t) }
    }

    /// Starts decoding afresh at the keyframe at or before `t`. A file that cannot seek is
    /// decoded on from where it is (moments ascend, so that is right, only slower): false.
    @discardableResult
    private func restart(at t: Double) throws -> Bool {
        do { try demuxer.seek(to: origin + t) } catch { return false }
        frames.restart()
        pending.removeAll()
        justSeeked = true
        endReached = false
        return true
    }
}
