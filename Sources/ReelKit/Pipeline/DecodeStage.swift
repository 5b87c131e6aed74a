import Foundation
import ReelMedia

/// A decoded source frame and where it sits on the output timeline.
/// `@unchecked Sendable`: immutable; its `Frame` is handed from the decode thread to the
/// compose thread through a queue and never touched by the sender again.
final class SourceFrame: @unchecked Sendable {
    // @unchecked: immutable once made; the frame is only read after it is handed on.
    let frame: Frame
    /// Seconds from the start of its edit-list segment.
    let seconds: Double
    let segment: Int
    init(frame: Frame, seconds: Double, segment: Int) { self.frame = frame; self.seconds = seconds; self.segment = segment }
}

/// What the decode stage sends: frames, then the end of the stream with where the last
/// segment's last frame ends (seconds from that segment's start), which holds the last
/// picture of an open segment to its end.
enum SourceMessage {
    case frame(SourceFrame)
    case end(lastFrameEnd: Double)
}

/// Reads packets and decodes the recording's video, segment by segment of the edit list
/// (seeking to each segment's start), handing frames on with segment-relative times.
/// `@unchecked Sendable`: a stage is built on the caller's thread and then used only by the
/// one thread the scheduler runs it on (libav contexts allow one thread at a time).
final class DecodeStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after joining it.
    let name = "decode"
    let inputs: [any MeteredQueue] = []
    var outputs: [any MeteredQueue] { [frames] }
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let frames: BoundedQueue<SourceMessage>
    private let path: String
    private let demuxer: Demuxer
    private let decoder: Decoder
    /// Packets → frames, damaged packets concealed by the standard rule (DecodeDamage).
    private let decoded: DecodedFrames
    private let origin: Double
    private let edit: EditList
    private let fps: Int
    private let deinterlace: DeinterlaceMode
    /// The video stream's stated length: a file whose picture stops well short of it was cut off.
    private let declaredVideoDuration: Double?

    /// The recording's decoder threads when none are asked for: one on up to 4 cores. The
    /// decode stage waits on its full output queue ~98 % of a render (--stats: 130 of 132 s on
    /// the bench's 45 s job), so libavcodec's frame threads (cores + 1) buy no speed, and each
    /// holds 1080p frames of its own: decoding the 45 s 1080p recording alone peaks at 80 MiB
    /// RSS with one thread vs 99 MiB automatic, for the same CPU (issue 16 note). Above 4 cores
    /// x264 may outrun one decoding thread, so libav chooses there. Bit-exact for any count.
    static var automaticThreads: Int { ProcessInfo.processInfo.activeProcessorCount <= 4 ? 1 : 0 }

    init(job: RenderJob, declaredVideoDuration: Double?, output: BoundedQueue<SourceMessage>) throws {
        let o = job.options
        path = o.input
        demuxer = try Demuxer(path: o.input)
        guard let videoIndex = demuxer.bestStream(.video) else {
            throw MediaError(.invalidInput, path: o.input, "no video stream")
        }
        decoder = try Decoder(demuxer, stream: videoIndex, threads: o.threads == 0 ? Self.automaticThreads : o.threads)
        decoded = DecodedFrames(demuxer, decoder: decoder)
        origin = demuxer.startTime(of: videoIndex)
        edit = job.edit
        fps = o.fps
        deinterlace = o.deinterlace
        self.declaredVideoDuration = declaredVideoDuration
        frames = output
    }

    func run(_ control: FailureBox) throws {
        let videoTB = decoder.timeBase
        let nominalFrame = 1.0 / max(1.0, (demuxer.averageFrameRate(of: decoder.streamIndex) ?? 30))
        var lastVideoEnd = 0.0
        var decodedAny = false

        let deinterlacer = Deinterlacer(mode: deinterlace, streamIsInterlaced: demuxer.isInterlaced(stream: decoder.streamIndex),
                                        timeBase: videoTB)
        for (index, segment) in edit.segments.enumerated() {
            let start = origin + segment.sourceStart
            let length = segment.frames.map { Double($0) / Double(fps) }
            if index > 0 || segment.sourceStart > 0 {
                try decoded.seek(to: start)
            }
            lastVideoEnd = 0
            var done = false
            func handle(_ decoded: [Frame]) -> Bool {
                for frame in decoded {
                    guard let t = frame.seconds(in: videoTB) else { continue }
                    let rel = t - start
                    if let length, rel >= length { done = true; continue }
                    decodedAny = true
                    let dur = frame.durationUnits.map { Double($0) * videoTB.value } ?? nominalFrame
                    lastVideoEnd = max(lastVideoEnd, rel + dur)
                    if !frames.push(.frame(SourceFrame(frame: frame, seconds: rel, segment: index))) { return false }
                    itemsOut += 1
                }
                return true
            }
            while !done {
                if control.isStopping { return }
                // nil: the file ended and the decoder was drained.
                guard let batch = try decoded.nextBatch() else { break }
                if !handle(try deinterlacer.pass(batch.frames)) { return }
            }
            if !done, !handle(try deinterlacer.finish()) { return }
            _ = try? deinterlacer.finish()   // a segment cut short: start the next one with a fresh graph
        }
        if !decodedAny { throw MediaError(.invalidInput, path: path, "no decodable video frames") }
        // A file whose video stops well before the video stream's own stated duration was cut
        // off (the container's duration is not used: audio may rightly outlast the picture).
        let last = edit.segments.last!
        if last.frames == nil, let stated = declaredVideoDuration,
           stated - last.sourceStart - lastVideoEnd > max(1.0, stated * 0.1) {
            throw MediaError(.invalidInput, path: path,
                             String(format: "truncated: video ends at %.2f s of the %.2f s the file declares", last.sourceStart + lastVideoEnd, stated))
        }
        frames.push(.end(lastFrameEnd: lastVideoEnd))
    }
}
