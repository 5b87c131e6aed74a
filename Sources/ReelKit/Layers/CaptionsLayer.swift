import Foundation
import ReelMedia

/// The caption of the source time shown, faded in and out.
final class CaptionsLayer: Layer {
    private let track: SubtitleTrack
    init(_ track: SubtitleTrack) { self.track = track }

    func state(_ c: LayerContext) throws -> LayerState? {
        try track.overlay(at: c.time, segmentStart: c.segment.sourceStart).map { LayerState(values: [Double($0.cue), $0.opacity]) }
    }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        guard let caption = try track.overlay(at: c.time, segmentStart: c.segment.sourceStart) else { return picture! }
        let out = c.target(picture)
        try out.blend(caption.overlay, x: caption.x, y: caption.y, opacity: caption.opacity)
        return out
    }
}
