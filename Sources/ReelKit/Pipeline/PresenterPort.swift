import Foundation
import ReelMedia

/// The compose stage's end of the presenter queue: the prepared picture for each output
/// frame, taken from `PresenterDecodeStage`'s messages (never decoded here), with where the
/// picture sits on the canvas. Used from the compose thread only.
final class PresenterPort {
    let queue: BoundedQueue<PresenterMessage>
    /// Where the prepared picture lands on the canvas, and its scaled size (what stickers on
    /// the presenter are placed by).
    let x: Int, y: Int
    /// The presenter's first frame prepared like every other, made before the stages start:
    /// what tracked stickers were placed on (nil when no sticker tracks).
    private let reference: Frame?
    private var last: (frame: Int, picture: Frame?)? = nil
    private var ended = false

    init(queue: BoundedQueue<PresenterMessage>, x: Int, y: Int, reference: Frame?) {
        self.queue = queue
        self.x = x
        self.y = y
        self.reference = reference
    }

    /// The picture output frame `n` shows (nil: the presenter is off). Frames are asked for
    /// in order; once the stream has ended (or stopped short on a failure, which the
    /// scheduler reports) the last picture holds.
    func picture(forOutputFrame n: Int) -> Frame? {
        while !ended, (last?.frame ?? -1) < n {
            switch queue.pop() {
            case .picture(let picture, let frame)?: last = (frame, picture)
            case .end?, nil: ended = true
            }
        }
        return last?.picture
    }

    /// The reference picture tracked stickers are found again from.
    func firstPicture() throws -> Frame {
        guard let reference else { throw MediaError(.internalFailure, path: "", "the presenter's first picture was not prepared") }
        return reference
    }
}
