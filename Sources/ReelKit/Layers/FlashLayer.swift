import Foundation
import ReelMedia

/// The cut from the hook into the body: a white flash fading over 4 frames.
final class FlashLayer: Layer {
    private let flash: Overlay
    init(width: Int, height: Int) { flash = Overlay(solid: (235, 128, 128), width: width, height: height) }

    func state(_ c: LayerContext) throws -> LayerState? {
        guard !c.segment.isHook, c.afterHook, c.slot < 4 else { return nil }
        return LayerState(values: [0.55 * Double(4 - c.slot) / 4])
    }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        let out = c.target(picture)
        try out.blend(flash, x: 0, y: 0, opacity: state.values[0])
        return out
    }
}
