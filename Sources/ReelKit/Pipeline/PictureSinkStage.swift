import Foundation
import ReelMedia

/// `reel preview`'s end of the graph instead of encode + mux: the composed frame written as
/// a PNG (the job's edit list is that one frame).
/// `@unchecked Sendable`: used only by the one thread the scheduler runs it on.
final class PictureSinkStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after it returns.
    let name = "png"
    var inputs: [any MeteredQueue] { [canvasQueue] }
    let outputs: [any MeteredQueue] = []
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let path: String
    private let recording: String
    private let canvasQueue: BoundedQueue<Frame>

    init(path: String, recording: String, input: BoundedQueue<Frame>) {
        self.path = path
        self.recording = recording
        canvasQueue = input
    }

    func run(_ control: FailureBox) throws {
        var first: Frame? = nil
        while let frame = canvasQueue.pop() { if first == nil { first = frame } }
        if let error = control.error { throw error }
        guard let frame = first else { throw MediaError(.invalidInput, path: recording, "no picture at that time") }
        try PNGFile.write(try frame.rgbImage(), to: path)
        itemsOut = 1
    }
}
