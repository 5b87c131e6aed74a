import Foundation
import ReelMedia

/// Draws the layers of each frame, reusing from the bottom up every result whose layers'
/// states have not changed since the last frame (a still screen, a held presenter picture,
/// a caption over the same picture): one generic rule instead of a cache per layer.
final class Compositor {
    private let layers: [any Layer]
    private var last: [(state: LayerState?, picture: Frame?)] = []

    init(_ layers: [any Layer]) { self.layers = layers }

    /// The composed frame (a new reference each time, for the caller to stamp).
    func compose(_ c: LayerContext) throws -> Frame {
        var picture: Frame? = nil
        var reusing = true
        var results: [(state: LayerState?, picture: Frame?)] = []
        results.reserveCapacity(layers.count)
        for (i, layer) in layers.enumerated() {
            let state = try layer.state(c)
            if reusing, i < last.count, last[i].state == state {
                picture = last[i].picture
            } else {
                reusing = false
                if let state { picture = try layer.draw(on: picture, c, state: state) }
            }
            results.append((state, picture))
        }
        last = results
        guard let picture else { throw MediaError(.internalFailure, path: "", "the compositor produced no picture") }
        return picture.reference()
    }
}
