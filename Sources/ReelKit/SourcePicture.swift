import Foundation
import ReelMedia

/// How a source's stored frames become upright, square-pixel pictures with known colour:
/// the filter steps every layer made from that source starts with.
struct SourcePicture: Equatable {
    /// Clockwise degrees to turn upright (0, 90, 180, 270) and whether to mirror.
    var rotation: Int
    var mirrored: Bool
    var storedWidth: Int, storedHeight: Int
    var sampleAspect: Rational

    init(stream: StreamInfo) {
        rotation = ((stream.rotation ?? 0) % 360 + 360) % 360
        mirrored = stream.mirrored ?? false
        storedWidth = stream.width ?? 0
        storedHeight = stream.height ?? 0
        let sar = stream.sampleAspectRatio ?? Rational(1, 1)
        sampleAspect = (sar.num > 0 && sar.den > 0) ? sar : Rational(1, 1)
    }

    /// Width of the stored picture once non-square pixels are made square.
    var squareWidth: Int {
        sampleAspect.num == sampleAspect.den ? storedWidth
            : max(2, Int((Double(storedWidth) * sampleAspect.value / 2).rounded()) * 2)
    }

    /// The upright, square-pixel size: what a viewer sees, and what crops refer to.
    var displaySize: (width: Int, height: Int) {
        rotation % 180 == 90 ? (storedHeight, squareWidth) : (squareWidth, storedHeight)
    }

    /// Only the exact pixel moves for the display matrix (no aspect change), comma-terminated.
    var rotationFilters: String {
        var steps: [String] = []
        if mirrored { steps.append("hflip") }
        switch rotation {
        case 90: steps.append("transpose=clock")
        case 180: steps.append("hflip,vflip")
        case 270: steps.append("transpose=cclock")
        default: break
        }
        return steps.isEmpty ? "" : steps.joined(separator: ",") + ","
    }

    /// Filters that make the picture upright (transpose/flip are exact pixel moves) and
    /// square-pixelled. Comma-terminated fragment, or "" when nothing is needed.
    var uprightFilters: String {
        let square = sampleAspect.num != sampleAspect.den ? "scale=\(squareWidth):\(storedHeight):flags=bicubic,setsar=1," : ""
        return square + rotationFilters
    }
}
