import Foundation
import ReelMedia

/// `reel preview`'s end of the graph instead of encode + mux: the composed frame written as
/// a PNG (the job's edit list is that one frame), and with `--frame-hashes` its line of the
/// render's composed-frame hashes (same frame number, same md5), so a preview can be checked
/// exactly against the render it previews.
/// `@unchecked Sendable`: used only by the one thread the scheduler runs it on.
final class PictureSinkStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after it returns.
    let name = "png"
    var inputs: [any MeteredQueue] { [canvasQueue] }
    let outputs: [any MeteredQueue] = []
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let path: String
    private let hashOutput: OutputFile?
    private let options: RenderOptions
    private let canvasQueue: BoundedQueue<Frame>

    init(path: String, job: RenderJob, hashOutput: OutputFile?, input: BoundedQueue<Frame>) {
        self.path = path
        self.hashOutput = hashOutput
        options = job.options
        canvasQueue = input
    }

    func run(_ control: FailureBox) throws {
        var first: Frame? = nil
        while let frame = canvasQueue.pop() { if first == nil { first = frame } }
        if let error = control.error { throw error }
        guard let frame = first else { throw MediaError(.invalidInput, path: options.input, "no picture at that time") }
        try PNGFile.write(try frame.rgbImage(), to: path)
        if let hashOutput, let t = options.previewAt {
            var hashes = FrameHashFile.composedFrames(width: options.width, height: options.height, fps: options.fps)
            let (md5, size) = FrameHasher.md5(video: frame)
            hashes.addComposedFrame(Int64(RenderPlanner.previewFrame(at: t, fps: options.fps)), md5: md5, size: size)
            try FileWriter.write(Data(hashes.text.utf8), to: hashOutput.temporary)
        }
        itemsOut = 1
    }
}
