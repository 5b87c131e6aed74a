import Foundation
import ReelMedia

/// Encodes the composed frames and the mixed audio (exactly as long as the video,
/// sample-exact), and muxes them; writes the composed frames' hashes and snapshots.
/// `@unchecked Sendable`: a stage is built on the caller's thread and then used only by the
/// one thread the scheduler runs it on (`itemsOut` is read after that thread is joined).
final class EncodeStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after it returns.
    let name = "encode+mux"
    var input: (any MeteredQueue)? { canvasQueue }
    let output: (any MeteredQueue)? = nil
    /// Frames encoded.
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let options: RenderOptions
    private let job: RenderJob
    private let audioPlan: AudioPlan
    private let file: OutputFile
    private let hashOutput: OutputFile?
    private let canvasQueue: BoundedQueue<Frame>
    private let report: (RenderProgress.Event, _ frames: Int, _ total: Int) -> Void

    init(job: RenderJob, audio: AudioPlan, output: OutputFile, hashOutput: OutputFile?, input: BoundedQueue<Frame>,
         report: @escaping (RenderProgress.Event, Int, Int) -> Void) {
        self.job = job
        options = job.options
        audioPlan = audio
        file = output
        self.hashOutput = hashOutput
        canvasQueue = input
        self.report = report
    }

    func run(_ control: FailureBox) throws {
        let expectedFrames = job.expectedFrames
        let o = options
        let muxer = try Muxer(path: file.temporary)
        let e = job.encoder
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
        let audio = try Encoder(aacSampleRate: e.audioSampleRate, bitrate: e.audioBitrate, globalHeader: muxer.needsGlobalHeader)
        let videoStream = try muxer.addStream(for: video)
        let audioStream = try muxer.addStream(for: audio)
        try muxer.start(deterministic: o.deterministic)

        let mixer = try audioPlan.makeRenderer(expectedFrames: expectedFrames)
        var fifo = SampleFifo()
        // The AAC encoder's priming samples play first (there is no edit list to hide them),
        // so the first `initialPadding` samples of the mix are replaced by them: every later
        // sample then plays exactly at its own time and the track is exactly as long as the video.
        var audioWritten = audio.initialPadding
        var mixed = 0
        var frames = 0
        var lastReport = Date.distantPast
        report(.start, 0, expectedFrames)
        var hashes = o.frameHashes == nil ? nil : FrameHashFile.composedFrames(width: o.width, height: o.height, fps: o.fps)
        var lastHashed: (frame: Frame, md5: String, size: Int)? = nil

        func encodeAudio(upTo limit: Int, final: Bool) throws {
            let size = audio.frameSize
            while audioWritten < limit {
                let n = min(size, limit - audioWritten)
                if n < size && !final { break }
                if fifo.count < n {
                    if final { fifo.appendSilence(n - fifo.count) } else { break }
                }
                let chunk = fifo.take(n)
                let frame = try audio.makeAudioFrame(chunk, range: 0..<n, pts: Int64(audioWritten))
                for p in try audio.encode(frame) { try muxer.write(p, stream: audioStream) }
                audioWritten += n
            }
        }
        func mixFrame(_ tail: Bool = false) throws {
            let samples = tail ? try mixer.finish() : try mixer.next()
            guard !samples[0].isEmpty else { return }
            let skip = max(0, audio.initialPadding - mixed)
            mixed += samples[0].count
            fifo.append(samples, dropping: skip)
        }

        while let frame = canvasQueue.pop() {
            if hashes != nil {
                // A repeated picture (same buffers) is not hashed twice.
                let (md5, size) = lastHashed.flatMap { $0.frame.sharesPixels(with: frame) ? ($0.md5, $0.size) : nil }
                    ?? FrameHasher.md5(video: frame)
                lastHashed = (frame, md5, size)
                let pts = frame.pts ?? Int64(frames)
                hashes!.entries.append(.init(stream: 0, dts: pts, pts: pts, duration: 1, size: size, md5: md5))
            }
            if let path = o.snapshots[frames] { try PNGFile.write(try frame.rgbImage(), to: path) }
            for p in try video.encode(frame) { try muxer.write(p, stream: videoStream) }
            frames += 1
            itemsOut = frames
            try mixFrame()
            try encodeAudio(upTo: frames * mixer.samplesPerFrame, final: false)
            if Date().timeIntervalSince(lastReport) >= 0.25 {
                lastReport = Date()
                report(.progress, frames, max(expectedFrames, frames))
            }
        }
        // Without the end of the stream the compositor stopped short: nothing is finished.
        if let error = control.error { throw error }
        for p in try video.encode(nil) { try muxer.write(p, stream: videoStream) }
        try mixFrame(true)
        try encodeAudio(upTo: frames * mixer.samplesPerFrame, final: true)
        for p in try audio.encode(nil) { try muxer.write(p, stream: audioStream) }
        try muxer.finish()
        if let hashes, let hashOutput {
            try FileWriter.write(Data(hashes.text.utf8), to: hashOutput.temporary)
        }
        report(.done, frames, frames)
    }
}
