import Foundation
import ReelMedia

/// Builds the 9:16 picture from one source frame: the featured region (crop) fitted into
/// the panel, over a blurred, darkened fill made from the same frame (or a flat colour).
/// libavfilter graphs (rebuilt only when the source's format changes) and, for the blurred
/// fill, `PanelCanvas` for the full-size upscale and the panel's copy.
struct CanvasComposer {
    let canvasWidth: Int
    let canvasHeight: Int
    let crop: PixelRect
    let panel: PixelRect
    let background: RenderOptions.Background
    let source: SourcePicture

    /// Blur works on a 1/8-size copy: the same look as a full-size blur at a tiny cost.
    var blurWidth: Int { max(16, (canvasWidth / 8) & ~1) }
    var blurHeight: Int { max(16, (canvasHeight / 8) & ~1) }

    /// Bit-exact, accurate-rounding scaling (C paths of libswscale): the same pixels on every
    /// CPU, for --deterministic and golden hashes. Otherwise libswscale's SIMD paths, which
    /// are deterministic on one machine and about twice as fast.
    let bitexact: Bool

    var panelFlags: Filter.ScaleFlags { bitexact ? .exactBicubic : .bicubic }
    var fillFlags: Filter.ScaleFlags { bitexact ? .exactBilinear : .bilinear }

    /// The panel's chain for source frames of this colour and size: upright, the crop, scaled
    /// to the panel, converted to BT.709 limited-range yuv420p.
    func panelChain(for color: FrameColor, width: Int, height: Int) -> [Filter] {
        let conversion = ColorConversion(color, height: source.storedHeight)
        return source.uprightChain(width: width, height: height, flags: panelFlags) + [
            .crop(width: crop.width, height: crop.height, x: crop.x, y: crop.y, exact: true),
            .scale(panel.width, panel.height, flags: panelFlags, conversion.scaleInputOptions),
            .format("yuv420p"),
        ] + (conversion.matrixConversion.map { [$0] } ?? [])
    }

    /// The small blurred fill made from the panel (`blurWidth` x `blurHeight`). The fill is
    /// made from the already scaled and converted panel: a third of the pixels of a full
    /// source frame, and no second colour conversion.
    var fillChain: [Filter] {
        let bw = blurWidth, bh = blurHeight
        let lumaRadius = max(2, min(bw, bh) / 16)
        let chromaRadius = max(1, lumaRadius / 2)
        return [
            Filter("scale", [.init(nil, "\(bw)"), .init(nil, "\(bh)"), .init("force_original_aspect_ratio", "increase"),
                             .init("flags", fillFlags.names.joined(separator: "+"))]),
            .crop(width: bw, height: bh),
            .boxblur(["luma_radius": "\(lumaRadius)", "luma_power": "3", "chroma_radius": "\(chromaRadius)", "chroma_power": "3"]),
            // Darken to ~45% luma and mute colour so the panel stands out.
            Filter("lutyuv", ["y": "16+(val-16)*0.45", "u": "128+(val-128)*0.7", "v": "128+(val-128)*0.7"]),
        ]
    }

    /// What draws the blurred fill scaled up and the panel over it (the render's way; `graph`
    /// is the same canvas as one libavfilter graph).
    func panelCanvas(threads: Int) -> PanelCanvas {
        PanelCanvas(width: canvasWidth, height: canvasHeight, panelX: panel.x, panelY: panel.y, flags: fillFlags, threads: threads)
    }

    /// The canvas graph for source frames of this colour and size: `[in]` the decoded frame,
    /// `[out]` the canvas. The render draws a colour background this way; a blurred one as
    /// `panelChain`, `fillChain` and `panelCanvas`, which give the same pixels as this graph
    /// at less cost (CanvasPartsTests compares them).
    func graph(for color: FrameColor, width: Int, height: Int) -> FilterGraphText {
        let panelChain = panelChain(for: color, width: width, height: height)
        switch background {
        case .color(let r, let g, let b):
            let hex = String(format: "0x%02X%02X%02X", r, g, b)
            return FilterGraphText(FilterChain(panelChain + [
                .pad(width: canvasWidth, height: canvasHeight, x: panel.x, y: panel.y, color: hex), .squarePixels,
            ]))
        case .blur:
            return FilterGraphText([
                FilterChain(panelChain + [.split(2)], inputs: ["in"], outputs: ["fg", "fgcopy"]),
                FilterChain(fillChain + [.scale(canvasWidth, canvasHeight, flags: fillFlags)], inputs: ["fgcopy"], outputs: ["bg"]),
                FilterChain([.overlay(x: panel.x, y: panel.y, ["format": "yuv420", "eof_action": "pass"]), .squarePixels],
                            inputs: ["bg", "fg"], outputs: ["out"]),
            ])
        }
    }
}
