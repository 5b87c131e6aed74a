import Foundation
import ReelMedia
import ReelText

/// Runs a `RenderJob` the planner made (it decides nothing): the recording's decode and the
/// presenter's decode → compose → video encode → mux, with the audio stage paced by the video
/// encoder beside it (or compose → PNG for a preview: no audio, no mux). Stages are joined by
/// bounded queues under a `Scheduler`, the shape of FFmpeg's fftools. Memory is bounded by
/// the queue sizes, not the input's length. The first error in any stage cancels every
/// queue and is rethrown by `run`.
public final class RenderPipeline: Sendable {
    public let job: RenderJob
    private let onProgress: @Sendable (RenderProgress) -> Void

    /// Frames a queue between two stages holds: enough to ride out a slow frame, few enough
    /// that memory does not grow (a 1080x1920 frame is 3 MiB). 2, not 6: decoding is far
    /// ahead (its queue is always full) and x264 keeps its own lookahead, so the other slots
    /// of each queue were RSS that rode out nothing (--stats, issue 16 notes: 6 → 3 → 2).
    static let queueCapacity = 2
    /// Prepared presenter pictures (box-sized, and one picture shown by several frames is one
    /// object): a few let the presenter's decode run ahead of a slow compose.
    static let presenterQueueCapacity = 4
    /// Per-frame packet lists to the mux stage, and the video encoder's ticks to the audio
    /// stage: small messages; a few smooth out the stages' uneven pace.
    static let packetQueueCapacity = 6
    static let clockQueueCapacity = 6

    public init(job: RenderJob, onProgress: @escaping @Sendable (RenderProgress) -> Void = { _ in }) {
        self.job = job
        self.onProgress = onProgress
    }

    /// Runs the job into `outputs` (claimed now when nil): the MP4 and its frame hashes, or
    /// the preview's PNG.
    public func run(outputs claimed: RenderOutputs? = nil) throws -> RenderSummary {
        let started = Date()
        ProcessMemory.limitArenas()   // before the stages' threads allocate
        let o = job.options
        let outputs = try claimed ?? RenderOutputs(claiming: o)
        let output = outputs.main, hashOutput = outputs.hashes
        let layers = try RenderLayers.make(job: job)
        let preview = o.previewAt != nil
        let audio = preview ? nil : AudioPlan(options: o, edit: job.edit, sources: job.audio)
        try audio?.measure(expectedFrames: job.expectedFrames)
        // The planner's and the loudness passes' freed memory (tapes) stays resident otherwise.
        ProcessMemory.returnFreedPages()
        do {
            let sources = BoundedQueue<SourceMessage>(capacity: Self.queueCapacity)
            let canvases = BoundedQueue<Frame>(capacity: Self.queueCapacity)
            // A preview does not check the stream's stated length: one frame is all it reads.
            var stages: [any RenderStage] = [try DecodeStage(job: job, declaredVideoDuration: preview ? nil : job.declaredVideoDuration, output: sources)]
            var port: PresenterPort? = nil
            if let presenter = layers.presenter {
                let pictures = BoundedQueue<PresenterMessage>(capacity: Self.presenterQueueCapacity)
                // Tracked stickers' reference is prepared now, before the presenter's thread owns it.
                let reference = layers.stickers.contains { $0.track } ? try presenter.firstPicture() : nil
                port = PresenterPort(queue: pictures, x: presenter.x, y: presenter.y, reference: reference)
                stages.append(PresenterDecodeStage(source: presenter, edit: job.edit, fps: o.fps, output: pictures))
            }
            let compose = ComposeStage(job: job, layers: layers, input: sources, presenter: port, output: canvases)
            stages.append(compose)
            if let audio {
                let report: @Sendable (RenderProgress.Event, Int, Int) -> Void = { [self] event, frames, total in
                    self.report(event, frames: frames, total: total, started: started)
                }
                stages += try encodeStages(audio: audio, output: output, hashOutput: hashOutput, canvases: canvases, report: report)
            } else {
                stages.append(PictureSinkStage(path: output.temporary, job: job, hashOutput: hashOutput, input: canvases))
            }
            let sink = stages.last!
            let stats = try Scheduler().run(stages)
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

    /// Video encode, audio and mux, the muxer and both encoders made here (the muxer's streams
    /// need the opened encoders before its header is written); the mux stage last, where the
    /// frames are counted.
    private func encodeStages(audio plan: AudioPlan, output: OutputFile, hashOutput: OutputFile?, canvases: BoundedQueue<Frame>,
                              report: @escaping @Sendable (RenderProgress.Event, Int, Int) -> Void) throws -> [any RenderStage] {
        let e = job.encoder
        let muxer = try Muxer(path: output.temporary)
        var settings = VideoEncoderSettings()
        settings.encoder = e.encoder
        settings.width = e.width
        settings.height = e.height
        settings.fps = e.fps
        settings.crf = e.crf
        settings.preset = e.preset
        settings.deterministic = e.deterministic
        settings.threads = e.threads
        let video = try Encoder(video: settings, globalHeader: muxer.needsGlobalHeader)
        let aac = try Encoder(aacSampleRate: e.audioSampleRate, bitrate: e.audioBitrate, globalHeader: muxer.needsGlobalHeader)
        let videoStream = try muxer.addStream(for: video)
        let audioStream = try muxer.addStream(for: aac)
        let videoPackets = BoundedQueue<PacketMessage>(capacity: Self.packetQueueCapacity)
        let audioPackets = BoundedQueue<PacketMessage>(capacity: Self.packetQueueCapacity)
        let clock = BoundedQueue<VideoClock>(capacity: Self.clockQueueCapacity)
        return [VideoEncodeStage(job: job, encoder: video, hashOutput: hashOutput, input: canvases, packets: videoPackets, clock: clock, report: report),
                AudioStage(plan: plan, expectedFrames: job.expectedFrames, encoder: aac, clock: clock, output: audioPackets),
                MuxStage(muxer: muxer, videoStream: videoStream, audioStream: audioStream, deterministic: job.options.deterministic,
                         video: videoPackets, audio: audioPackets, report: report)]
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
