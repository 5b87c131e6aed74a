import Foundation
import ReelMedia

/// The presenter's picture at the source time shown (none while it is off).
final class PresenterPictureLayer: Layer {
    let presenter: PresenterLayer
    /// The picture of the frame being composed (what stickers sit on).
    private(set) var current: Frame? = nil
    init(_ presenter: PresenterLayer) { self.presenter = presenter }

    func state(_ c: LayerContext) throws -> LayerState? {
        current = try presenter.picture(atSourceTime: c.time)
        return current.map { LayerState(object: $0) }
    }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        let out = c.ownsPicture ? picture! : picture!.reference()
        try out.blend(picture: state.object as! Frame, x: presenter.x, y: presenter.y)
        return out
    }
}
