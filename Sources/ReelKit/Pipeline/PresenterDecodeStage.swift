import Foundation
import ReelMedia

/// What the presenter stage sends, one message per output frame in order: the prepared
/// picture that frame shows (nil: the presenter is off then). A picture shown by several
/// frames is the same object each time, which is how the compositor knows it has not changed.
/// Then the end of the stream (a finite edit list), as a message.
enum PresenterMessage {
    case picture(Frame?, outputFrame: Int)
    case end
}

/// Decodes the presenter (through `DecodedFrames`, deinterlaced as the recording is) and
/// prepares its pictures (upright, keyed, scaled, cropped, masked) for every output frame of
/// the edit list, hook first, on a thread of its own; the compose stage only picks them up.
/// It sends prepared pictures rather than decoded frames: the filter graph (chroma key,
/// scale) is the costly part, and on two cores it is that work that should leave the compose
/// thread; a prepared picture is also box-sized, smaller than the decoded frame. In an open
/// last segment it goes on until the compose stage stops reading (its push then fails).
/// `@unchecked Sendable`: built on the caller's thread and then used only by the one thread
/// the scheduler runs it on (the presenter's libav contexts allow one thread at a time).
final class PresenterDecodeStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after joining it.
    let name = "presenter"
    let inputs: [any MeteredQueue] = []
    var outputs: [any MeteredQueue] { [pictures] }
    /// Output frames whose picture was sent.
    private(set) var itemsOut = 0
    /// Output frames that show the picture of the frame before (not prepared again).
    private(set) var skippedUnchanged = 0

    private let source: PresenterSource
    private let edit: EditList
    private let fps: Int
    private let pictures: BoundedQueue<PresenterMessage>

    init(source: PresenterSource, edit: EditList, fps: Int, output: BoundedQueue<PresenterMessage>) {
        self.source = source
        self.edit = edit
        self.fps = fps
        pictures = output
    }

    func run(_ control: FailureBox) throws {
        var previous: Frame? = nil
        for segment in edit.segments {
            var slot = 0
            while segment.frames.map({ slot < $0 }) ?? true {
                if control.isStopping { return }
                // The same source time the compose stage gives this frame's layers.
                let picture = try source.picture(atSourceTime: segment.sourceTime(ofLocalFrame: slot, fps: fps))
                if picture != nil, picture === previous { skippedUnchanged += 1 }
                previous = picture
                if !pictures.push(.picture(picture, outputFrame: segment.outputStart + slot)) { return }
                itemsOut += 1
                slot += 1
            }
        }
        pictures.push(.end)
    }
}
