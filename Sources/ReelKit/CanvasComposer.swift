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

    /// Scaling flags: bicubic for quality; bit-exact and accurate rounding so composed
    /// frames hash the same on every machine and thread count.
    static let scaleFlags = "bicubic+accurate_rnd+bitexact+full_chroma_int"

    func graph(for color: FrameColor) -> String {
        let conversion = ColorConversion(color, height: source.storedHeight)
        let cropStep = "crop=\(crop.width):\(crop.height):\(crop.x):\(crop.y):exact=1"
        let panelChain = "\(cropStep),scale=\(panel.width):\(panel.height):flags=\(Self.scaleFlags):\(conversion.scaleOptions),format=yuv420p,\(conversion.matrixFilter)"
        switch background {
        case .color(let r, let g, let b):
            let hex = String(format: "0x%02X%02X%02X", r, g, b)
            return "[in]\(source.uprightFilters)\(panelChain)pad=\(canvasWidth):\(canvasHeight):\(panel.x):\(panel.y):color=\(hex),setsar=1[out]"
        case .blur:
            let bw = blurWidth, bh = blurHeight
            let lumaRadius = max(2, min(bw, bh) / 16)
            let chromaRadius = max(1, lumaRadius / 2)
            let fill = "\(cropStep),scale=\(bw):\(bh):force_original_aspect_ratio=increase:flags=bilinear+accurate_rnd+bitexact:\(conversion.scaleOptions),crop=\(bw):\(bh),format=yuv420p,\(conversion.matrixFilter)"
                + "boxblur=luma_radius=\(lumaRadius):luma_power=3:chroma_radius=\(chromaRadius):chroma_power=3,"
                // Darken to ~45% luma and mute colour so the panel stands out.
                + "lutyuv=y=16+(val-16)*0.45:u=128+(val-128)*0.7:v=128+(val-128)*0.7,"
                + "scale=\(canvasWidth):\(canvasHeight):flags=bilinear+accurate_rnd+bitexact"
            return "[in]\(source.uprightFilters)split=2[fgsrc][bgsrc];[bgsrc]\(fill)[bg];[fgsrc]\(panelChain)null[fg];[bg][fg]overlay=\(panel.x):\(panel.y):format=yuv420:eof_action=pass,setsar=1[out]"
        }
    }
}
