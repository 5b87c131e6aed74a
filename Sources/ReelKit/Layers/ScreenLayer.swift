import Foundation
import ReelMedia

/// The bottom layer: the background and the featured crop of the recording (libavfilter
/// graphs rebuilt when the source's colour or size changes). A source picture identical to
/// the one before keeps the canvas made from it.
final class ScreenLayer: Layer {
    private let path: String
    private let perturb: Bool
    /// The canvas graph (colour background) or the panel's graph (blurred fill), rebuilt when
    /// the source's size, colour or aspect changes.
    private let filter: ReconfiguringFilter
    /// Blurred fill: the small fill from the panel, and the canvas drawn from both.
    private let fill: (filter: ReconfiguringFilter, canvas: PanelCanvas)?
    private var lastSource: SourceFrame? = nil
    private var lastCanvas: Frame? = nil
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

    func state(_ c: LayerContext) throws -> LayerState? { LayerState(object: try canvas(for: c.source)) }

    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame {
        try canvas(for: c.source)
    }

    private func canvas(for source: SourceFrame) throws -> Frame {
        if let last = lastSource, let canvas = lastCanvas {
            if last === source { return canvas }
            if source.frame.hasSamePixels(as: last.frame) {
                reused += 1
                lastSource = source
                return canvas
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
        lastSource = source
        lastCanvas = composed
        return composed
    }
}
