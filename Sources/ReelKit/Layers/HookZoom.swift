import Foundation
import ReelMedia

/// The hook's punch-in: the whole composed picture scaled from 100 % up to `amount` over
/// the hook, about its centre. One small libavfilter graph per frame (only the hook's
/// frames pay for it).
struct HookZoom {
    let amount: Double
    let width: Int, height: Int
    let bitexact: Bool
    var isActive: Bool { amount > 1.0005 }

    func apply(_ frame: Frame, progress: Double) throws -> Frame {
        let z = 1 + (amount - 1) * min(1, max(0, progress))
        let cw = max(2, Int(Double(width) / z) & ~1), ch = max(2, Int(Double(height) / z) & ~1)
        let chain = FilterChain([.crop(width: cw, height: ch, x: (width - cw) / 2, y: (height - ch) / 2),
                                 .scale(width, height, flags: bitexact ? .exactBicubic : .bicubic), .squarePixels])
        let graph = try FilterGraph(chain, input: frame, timeBase: Rational(1, 1_000_000))
        let input = frame.reference()
        input.pts = 0
        guard let out = try graph.process(input).first else {
            throw MediaError(.internalFailure, path: "", "the hook zoom produced no picture")
        }
        return out
    }
}
