import Foundation
import ReelMedia
import ReelText

/// Runs a `RenderJob` the planner made (it decides nothing): decode → compose → encode + mux
/// (or → PNG for a preview), stages joined by bounded queues under a `Scheduler`, the shape
/// of FFmpeg's fftools. Memory is bounded by the queue sizes, not the input's length. The
/// first error in any stage cancels every queue and is rethrown by `run`.
public final class RenderPipeline: Sendable {
    public let job: RenderJob
    private let onProgress: @Sendable (RenderProgress) -> Void

    /// Frames a queue between two stages holds: enough to ride out a slow frame, few enough
    /// that memory does not grow (a 1080x1920 frame is 3 MiB). 3, not 6: decoding is far
    /// ahead (its queue is always full) and x264 keeps its own lookahead, so the other three
    /// slots of each queue were ~18 MiB of RSS that rode out nothing (--stats, issue 16 note).
    static let queueCapacity = 3

    public init(job: RenderJob, onProgress: @escaping @Sendable (RenderProgress) -> Void = { _ in }) {
        self.job = job
        self.onProgress = onProgress
    }

    /// Runs the job into `outputs` (claimed now when nil): the MP4 and its frame hashes, or
    /// the preview's PNG.
    public func run(outputs claimed: RenderOutputs? = nil) throws -> RenderSummary {
        let started = Date()
        let o = job.options
        let outputs = try claimed ?? RenderOutputs(claiming: o)
        let output = outputs.main, hashOutput = outputs.hashes
        let layers = try RenderLayers.make(job: job)
        let preview = o.previewAt != nil
        let audio = preview ? nil : AudioPlan(options: o, edit: job.edit, sources: job.audio)
        try audio?.measure(expectedFrames: job.expectedFrames)
        do {
            let sources = BoundedQueue<SourceMessage>(capacity: Self.queueCapacity)
            let canvases = BoundedQueue<Frame>(capacity: Self.queueCapacity)
            // A preview does not check the stream's stated length: one frame is all it reads.
            let decode = try DecodeStage(job: job, declaredVideoDuration: preview ? nil : job.declaredVideoDuration, output: sources)
            let compose = ComposeStage(job: job, layers: layers, input: sources, output: canvases)
            let sink: any RenderStage
            if let audio {
                sink = EncodeStage(job: job, audio: audio, output: output, hashOutput: hashOutput, input: canvases) { [self] event, frames, total in
                    report(event, frames: frames, total: total, started: started)
                }
            } else {
                sink = PictureSinkStage(path: output.temporary, recording: o.input, input: canvases)
            }
            let stats = try Scheduler().run([decode, compose, sink])
            if !preview, sink.itemsOut == 0 { throw MediaError(.invalidInput, path: o.input, "no decodable video frames") }
            try output.commit()
            try hashOutput?.commit()
            let frames = sink.itemsOut
            var summary = RenderSummary(output: output.destination, frames: frames, duration: Double(frames) / Double(o.fps),
                                        wallSeconds: Date().timeIntervalSince(started), crop: job.crop, cropReason: job.cropReason,
                                        reusedFrames: preview ? 0 : compose.skippedUnchanged, hook: job.hookReason,
                                        loudness: audio?.summary, skippedLeadingBlank: preview ? nil : job.skippedLeadingBlank)
            summary.stages = stats
            return summary
        } catch {
            output.discard()
            hashOutput?.discard()
            throw output.reported(hashOutput?.reported(error) ?? error)
        }
    }

    private func report(_ event: RenderProgress.Event, frames: Int, total: Int, started: Date) {
        let elapsed = max(Date().timeIntervalSince(started), 1e-6)
        let fps = Double(frames) / elapsed
        let eta: Double? = (event == .progress && fps > 0) ? Double(total - frames) / fps : (event == .done ? 0 : nil)
        onProgress(RenderProgress(event: event, frame: frames, totalFrames: total,
                                  percent: total > 0 ? min(100, 100 * Double(frames) / Double(total)) : 0,
                                  fps: fps, eta: eta, speed: fps / Double(job.options.fps), output: job.options.output))
    }
}
