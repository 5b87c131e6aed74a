import Foundation
import ReelMedia

/// The layer that shows a `TextBlock` in some frames: the title (the body) or the hook's headline.
final class TextBlockLayer: Layer {
    private let block: TextBlock
    private let shown: (LayerContext) -> Bool

    init(_ block: TextBlock, shownWhen shown: @escaping (LayerContext) -> Bool) {
        self.block = block
        self.shown = shown
    }

    func state(_ c: LayerContext) throws -> LayerState? { shown(c) ? LayerState() : nil }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        let out = c.target(picture)
        try out.blend(block.overlay, x: block.x, y: block.y)
        return out
    }
}
