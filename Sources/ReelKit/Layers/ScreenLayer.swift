import Foundation
import ReelMedia

/// The bottom layer: the background and the featured crop of the recording (libavfilter
/// graphs rebuilt when the source's colour or size changes). A source picture identical to
/// the one before keeps the canvas made from it.
///
/// Reuse policy (one for the canvas, its fill and the compositor): a canvas is kept for a
/// repeat only when a repeat is likely: the next output frame shows the same decoded frame,
/// or a source repeated the picture before it within the last `repeatWindow` sources (a
/// still screen, a recorder that doubles frames). Otherwise nobody keeps it and the presenter
/// draws into it in place; keeping it would cost a 3 MB copy every frame of a recording that
/// changes every frame, for a reuse that never comes. The price: the first repeat after
/// `repeatWindow` changing sources builds its canvas again.
final class ScreenLayer: Layer {
    private let path: String
    private let perturb: Bool
    /// The canvas graph (colour background) or the panel's graph (blurred fill), rebuilt when
    /// the source's size, colour or aspect changes.
    private let filter: ReconfiguringFilter
    /// Blurred fill: the small fill from the panel, and the canvas drawn from both.
    private let fill: (filter: ReconfiguringFilter, canvas: PanelCanvas)?
    /// The last source shown (its pixels tell a repeat) and its canvas while it is kept.
    private var lastSource: SourceFrame? = nil
    private var lastCanvas: Frame? = nil
    /// Sources since the last repeat; canvases are kept while it is below `repeatWindow`.
    private var sinceRepeat = Int.max
    /// On the example (a real screen recording), 160 of 1380 frames repeat, 89 of them the
    /// first of their stretch: keeping canvases only inside stretches rebuilt those 89.
    static let repeatWindow = 8
    /// Source pictures identical to the one before, whose canvas was reused.
    private(set) var reused = 0

    init(composer: CanvasComposer, threads: Int, path: String, perturbOnePixel: Bool) {
        let timeBase = Rational(1, 1_000_000)
        switch composer.background {
        case .color:
            filter = ReconfiguringFilter(timeBase: timeBase, threads: threads,
                                         graph: { frame in composer.graph(for: frame.color, width: frame.width, height: frame.height) })
            fill = nil
        case .blur:
            filter = ReconfiguringFilter(timeBase: timeBase, threads: threads) { frame in
                FilterChain(composer.panelChain(for: frame.color, width: frame.width, height: frame.height))
            }
            fill = (ReconfiguringFilter(FilterChain(composer.fillChain), timeBase: timeBase, threads: threads),
                    composer.panelCanvas(threads: threads))
        }
        self.path = path
        perturb = perturbOnePixel
    }

    func state(_ c: LayerContext) throws -> LayerState? {
        let (canvas, kept) = try canvas(for: c.source, keepForNext: c.nextShowsSameSource)
        return LayerState(object: canvas, reusable: kept)
    }

    /// The canvas `state` carries: a canvas not kept is then held by the compositor alone.
    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame { state.object as! Frame }

    /// The canvas for `source`, and whether it is kept (`lastCanvas`) for the next frame.
    private func canvas(for source: SourceFrame, keepForNext: Bool) throws -> (Frame, Bool) {
        var repeated = false
        if let last = lastSource {
            repeated = last === source || source.frame.hasSamePixels(as: last.frame)
            if repeated { sinceRepeat = 0 } else if sinceRepeat < Int.max { sinceRepeat += 1 }
            if repeated, let canvas = lastCanvas {
                if last !== source { reused += 1 }
                lastSource = source
                return (canvas, true)
            }
        }
        let input = source.frame.reference()
        input.pts = 0
        guard var composed = try filter.picture(from: input) else {
            throw MediaError(.internalFailure, path: path, "the compositor produced no picture")
        }
        if let fill {
            guard let small = try fill.filter.picture(from: composed) else {
                throw MediaError(.internalFailure, path: path, "the blurred fill produced no picture")
            }
            composed = try fill.canvas.canvas(panel: composed, fill: small)
        }
        if perturb { composed.perturbOnePixel() }
        let keep = keepForNext || sinceRepeat < Self.repeatWindow
        lastSource = source
        lastCanvas = keep ? composed : nil
        return (composed, keep)
    }
}
