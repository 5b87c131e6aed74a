import Foundation
import ReelMedia

/// Builds the 9:16 picture from one source frame: the featured region (crop) fitted into
/// the panel, over a blurred, darkened fill made from the same frame (or a flat colour).
/// All of it is one libavfilter graph, rebuilt only when the source's format changes.
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

    var panelFlags: String { bitexact ? "bicubic+accurate_rnd+bitexact" : "bicubic" }
    var fillFlags: String { bitexact ? "bilinear+accurate_rnd+bitexact" : "bilinear" }

    func graph(for color: FrameColor) -> String {
        let conversion = ColorConversion(color, height: source.storedHeight)
        let panelChain = "crop=\(crop.width):\(crop.height):\(crop.x):\(crop.y):exact=1,"
            + "scale=\(panel.width):\(panel.height):flags=\(panelFlags):\(conversion.scaleOptions),format=yuv420p,\(conversion.matrixFilter)"
        switch background {
        case .color(let r, let g, let b):
            let hex = String(format: "0x%02X%02X%02X", r, g, b)
            return "[in]\(source.uprightFilters)\(panelChain)pad=\(canvasWidth):\(canvasHeight):\(panel.x):\(panel.y):color=\(hex),setsar=1[out]"
        case .blur:
            let bw = blurWidth, bh = blurHeight
            let lumaRadius = max(2, min(bw, bh) / 16)
            let chromaRadius = max(1, lumaRadius / 2)
            // The fill is made from the already scaled and converted panel: a third of the
            // pixels of a full source frame, and no second colour conversion.
            let fill = "scale=\(bw):\(bh):force_original_aspect_ratio=increase:flags=\(fillFlags),crop=\(bw):\(bh),"
                + "boxblur=luma_radius=\(lumaRadius):luma_power=3:chroma_radius=\(chromaRadius):chroma_power=3,"
                // Darken to ~45% luma and mute colour so the panel stands out.
                + "lutyuv=y=16+(val-16)*0.45:u=128+(val-128)*0.7:v=128+(val-128)*0.7,"
                + "scale=\(canvasWidth):\(canvasHeight):flags=\(fillFlags)"
            return "[in]\(source.uprightFilters)\(panelChain)split=2[fg][fgcopy];[fgcopy]\(fill)[bg];[bg][fg]overlay=\(panel.x):\(panel.y):format=yuv420:eof_action=pass,setsar=1[out]"
        }
    }
}
