import Foundation
import ReelMedia

/// Encodes the composed frames (H.264): canvases in, each frame's packets out to the mux
/// stage, and a tick per frame to the audio stage (which makes exactly as much sound).
/// Writes the composed frames' hashes and snapshots, and reports progress.
/// `@unchecked Sendable`: a stage is built on the caller's thread and then used only by the
/// one thread the scheduler runs it on (`itemsOut` is read after that thread is joined).
final class VideoEncodeStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after it returns.
    let name = "encode"
    var inputs: [any MeteredQueue] { [canvasQueue] }
    var outputs: [any MeteredQueue] { [packets, clock] }
    /// Frames encoded.
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let options: RenderOptions
    private let expectedFrames: Int
    private let encoder: Encoder
    private let hashOutput: OutputFile?
    private let canvasQueue: BoundedQueue<Frame>
    private let packets: BoundedQueue<PacketMessage>
    private let clock: BoundedQueue<VideoClock>
    private let report: @Sendable (RenderProgress.Event, _ frames: Int, _ total: Int) -> Void

    init(job: RenderJob, encoder: Encoder, hashOutput: OutputFile?, input: BoundedQueue<Frame>, packets: BoundedQueue<PacketMessage>,
         clock: BoundedQueue<VideoClock>, report: @escaping @Sendable (RenderProgress.Event, Int, Int) -> Void) {
        options = job.options
        expectedFrames = job.expectedFrames
        self.encoder = encoder
        self.hashOutput = hashOutput
        canvasQueue = input
        self.packets = packets
        self.clock = clock
        self.report = report
    }

    func run(_ control: FailureBox) throws {
        let o = options
        var frames = 0
        var lastReport = Date.distantPast
        report(.start, 0, expectedFrames)
        var hashes = o.frameHashes == nil ? nil : FrameHashFile.composedFrames(width: o.width, height: o.height, fps: o.fps)
        var lastHashed: (frame: Frame, md5: String, size: Int)? = nil

        while let frame = canvasQueue.pop() {
            if hashes != nil {
                // A repeated picture (same buffers) is not hashed twice.
                let (md5, size) = lastHashed.flatMap { $0.frame.sharesPixels(with: frame) ? ($0.md5, $0.size) : nil }
                    ?? FrameHasher.md5(video: frame)
                lastHashed = (frame, md5, size)
                hashes!.addComposedFrame(frame.pts ?? Int64(frames), md5: md5, size: size)
            }
            if let path = o.snapshots[frames] { try PNGFile.write(try frame.rgbImage(), to: path) }
            let encoded = try encoder.encode(frame)
            frames += 1
            itemsOut = frames
            // The packets first: the mux stage takes this frame's video, then its audio.
            if !packets.push(.frame(encoded)) || !clock.push(.frame) { return }
            if Date().timeIntervalSince(lastReport) >= 0.25 {
                lastReport = Date()
                report(.progress, frames, max(expectedFrames, frames))
            }
        }
        // Without the end of the stream the compositor stopped short: nothing is finished.
        if let error = control.error { throw error }
        let flushed = try encoder.encode(nil)
        if let hashes, let hashOutput {
            try FileWriter.write(Data(hashes.text.utf8), to: hashOutput.temporary)
        }
        if !packets.push(.end(flushed)) { return }
        clock.push(.end)
    }
}
