import Foundation
import ReelMedia

/// Draws the layers of each frame, reusing from the bottom up every result whose layers'
/// states have not changed since the last frame (a still screen, a held presenter picture,
/// a caption over the same picture): one generic rule instead of a cache per layer.
final class Compositor {
    private let layers: [any Layer]
    /// Per layer: its state and result at the last frame; `kept` false when the result was
    /// drawn into by the layer above (it is gone, so it cannot be reused).
    private struct Result { var state: LayerState?; var picture: Frame?; var kept = true }
    private var last: [Result] = []

    init(_ layers: [any Layer]) { self.layers = layers }

    /// The composed frame (a new reference each time, for the caller to stamp).
    ///
    /// Of the layers redrawn in a frame, only the first one's result (what an unchanged stack
    /// below a changing layer comes back to) and the top are kept for the next frame; each
    /// layer in between draws straight into the picture below it, so only the first redrawn
    /// layer above a kept picture copies the frame (was: one full-frame copy per layer).
    func compose(_ c: LayerContext) throws -> Frame {
        var picture: Frame? = nil
        var reusing = true
        var firstDrawn: Int? = nil
        var results: [Result] = []
        results.reserveCapacity(layers.count)
        for (i, layer) in layers.enumerated() {
            let state = try layer.state(c)
            if reusing, i < last.count, last[i].kept, last[i].state == state {
                picture = last[i].picture
            } else {
                reusing = false
                if let state {
                    var context = c
                    if let f = firstDrawn, var below = picture {
                        // Results drawn this frame between the first redrawn layer and this one
                        // are not kept: then nobody else holds the picture and it is written in place.
                        for j in (f + 1)..<i { results[j].picture = nil; results[j].kept = false }
                        picture = nil
                        context.ownsPicture = isKnownUniquelyReferenced(&below)
                        picture = try layer.draw(on: below, context, state: state)
                    } else {
                        picture = try layer.draw(on: picture, c, state: state)
                    }
                    if firstDrawn == nil { firstDrawn = i }
                }
            }
            // A state the layer will not give again cannot be matched: keeping its picture
            // would only make the layer above copy it.
            results.append(state?.reusable == false ? Result(state: nil, picture: nil, kept: false) : Result(state: state, picture: picture))
        }
        last = results
        guard let picture else { throw MediaError(.internalFailure, path: "", "the compositor produced no picture") }
        return picture.reference()
    }
}
