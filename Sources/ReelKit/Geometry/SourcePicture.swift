import Foundation
import ReelMedia

/// How a source's stored frames become upright, square-pixel pictures with known colour:
/// the filter steps every layer made from that source starts with.
public struct SourcePicture: Equatable, Sendable, Codable {
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

    /// Width of the stored picture once non-square pixels are made square (before `magnify`).
    private var unmagnifiedWidth: Int {
        sampleAspect.num == sampleAspect.den ? storedWidth
            : max(2, Int((Double(storedWidth) * sampleAspect.value / 2).rounded()) * 2)
    }

    /// Pictures under 2 pixels on a side (1x1, 4x1 …) have no whole 4:2:0 chroma pair to
    /// crop to: they are enlarged by whole pixels first (nearest neighbour, exact).
    var magnify: Int { unmagnifiedWidth < 2 || storedHeight < 2 ? 2 : 1 }

    /// Width of the stored picture once non-square pixels are made square.
    var squareWidth: Int { unmagnifiedWidth * magnify }

    /// The upright, square-pixel size: what a viewer sees, and what crops refer to.
    var displaySize: (width: Int, height: Int) {
        rotation % 180 == 90 ? (storedHeight * magnify, squareWidth) : (squareWidth, storedHeight * magnify)
    }

    /// Only the exact pixel moves for the display matrix (no aspect change).
    var rotationChain: [Filter] {
        var steps: [Filter] = []
        if mirrored { steps.append(.hflip) }
        switch rotation {
        case 90: steps.append(.transpose(.clock))
        case 180: steps += [.hflip, .vflip]
        case 270: steps.append(.transpose(.cclock))
        default: break
        }
        return steps
    }

    /// Filters that make the picture upright (transpose/flip are exact pixel moves) and
    /// square-pixelled; empty when nothing is needed.
    var uprightChain: [Filter] {
        let square: [Filter] = magnify > 1 ? [.scale(squareWidth, storedHeight * magnify, flags: .neighbor), .squarePixels]
            : sampleAspect.num != sampleAspect.den ? [.scale(squareWidth, storedHeight, flags: .bicubic), .squarePixels] : []
        return square + rotationChain
    }

    /// `uprightChain` for a decoded frame of `width`x`height`. A frame of another size than the
    /// stream declared (a recording that changes size mid-stream) is first scaled to that size
    /// with `flags`, so every picture has the display size crops and layouts were planned in.
    func uprightChain(width: Int, height: Int, flags: Filter.ScaleFlags) -> [Filter] {
        guard storedWidth > 0, storedHeight > 0, width != storedWidth || height != storedHeight else { return uprightChain }
        return [.scale(storedWidth, storedHeight, flags: flags)] + uprightChain
    }
}
