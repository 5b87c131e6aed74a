import Foundation
import ReelMedia

/// The hook's punch-in over everything below it.
final class HookZoomLayer: Layer {
    private let zoom: HookZoom
    init(_ zoom: HookZoom) { self.zoom = zoom }

    func state(_ c: LayerContext) throws -> LayerState? {
        guard c.segment.isHook, let frames = c.segment.frames, zoom.isActive else { return nil }
        return LayerState(values: [Double(c.slot) / Double(max(1, frames - 1))])
    }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        try zoom.apply(picture!, progress: state.values[0])
    }
}
