import Foundation
import ReelMedia

/// Stickers go with the presenter's picture (none while it is off; tracked ones follow what
/// they sit on in it) or on the canvas when there is no presenter.
final class StickersLayer: Layer {
    private let stickers: [PlacedSticker]
    /// The layer below, whose current picture the stickers sit on (nil: on the canvas).
    private let presenter: PresenterPictureLayer?
    private let tracker: StickerTracker?

    init(_ stickers: [PlacedSticker], on presenter: PresenterPictureLayer?) throws {
        self.stickers = stickers
        self.presenter = presenter
        tracker = try presenter.flatMap { try StickerTracker(stickers: stickers, presenter: $0.presenter) }
    }

    func state(_ c: LayerContext) throws -> LayerState? {
        guard !stickers.isEmpty else { return nil }
        guard let presenter else { return LayerState() }
        return presenter.current.map { LayerState(object: $0) }
    }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        let out = c.target(picture)
        let shown = state.object as? Frame
        for (i, sticker) in stickers.enumerated() {
            let shift = shown.flatMap { tracker?.shift(i, on: $0) } ?? (dx: 0, dy: 0)
            try out.blend(sticker.overlay, x: sticker.x + shift.dx, y: sticker.y + shift.dy)
        }
        return out
    }
}
