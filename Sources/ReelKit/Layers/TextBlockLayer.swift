import Foundation
import ReelMedia

/// A still text block shown in some frames: the title (the body) or the hook's headline.
final class TextBlockLayer: Layer {
    private let title: TitleLayer
    private let shown: (LayerContext) -> Bool

    init(_ title: TitleLayer, shownWhen shown: @escaping (LayerContext) -> Bool) {
        self.title = title
        self.shown = shown
    }

    func state(_ c: LayerContext) throws -> LayerState? { shown(c) ? LayerState() : nil }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        let out = c.ownsPicture ? picture! : picture!.reference()
        try out.blend(title.overlay, x: title.x, y: title.y)
        return out
    }
}
