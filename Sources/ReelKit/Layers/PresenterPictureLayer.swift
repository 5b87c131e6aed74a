import Foundation
import ReelMedia

/// The presenter's picture at the frame being composed (none while it is off), as the
/// presenter stage prepared it.
final class PresenterPictureLayer: Layer {
    let presenter: PresenterPort
    /// The picture of the frame being composed (what stickers sit on).
    private(set) var current: Frame? = nil
    init(_ presenter: PresenterPort) { self.presenter = presenter }

    func state(_ c: LayerContext) throws -> LayerState? {
        current = presenter.picture(forOutputFrame: c.segment.outputStart + c.slot)
        return current.map { LayerState(object: $0) }
    }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        let out = c.target(picture)
        try out.blend(picture: state.object as! Frame, x: presenter.x, y: presenter.y)
        return out
    }
}
