import Foundation
import ReelMedia

/// The bottom layer: the background and the featured crop of the recording, one
/// libavfilter graph (rebuilt when the source's colour or size changes). A source picture
/// identical to the one before keeps the canvas made from it.
final class ScreenLayer: Layer {
    private let composer: CanvasComposer
    private let threads: Int
    private let path: String
    private let perturb: Bool
    private var graph: FilterGraph? = nil
    private var graphColor: FrameColor? = nil
    private var graphSize = (0, 0)
    private var lastSource: SourceFrame? = nil
    private var lastCanvas: Frame? = nil
    /// Source pictures identical to the one before, whose canvas was reused.
    private(set) var reused = 0

    init(composer: CanvasComposer, threads: Int, path: String, perturbOnePixel: Bool) {
        self.composer = composer
        self.threads = threads
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
        let color = source.frame.color
        if graph == nil || graphColor != color || graphSize != (source.frame.width, source.frame.height) {
            graph = try FilterGraph(composer.graph(for: color), input: source.frame, timeBase: Rational(1, 1_000_000), threads: threads)
            graphColor = color
            graphSize = (source.frame.width, source.frame.height)
        }
        let input = source.frame.reference()
        input.pts = 0
        guard let composed = try graph!.process(input).first else {
            throw MediaError(.internalFailure, path: path, "the compositor produced no picture")
        }
        if perturb { composed.perturbOnePixel() }
        lastSource = source
        lastCanvas = composed
        return composed
    }
}
