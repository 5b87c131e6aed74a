import Foundation

/// The range each number of a render may take, checked where it is decoded (a flag or a
/// plan key) so the error names it: NaN, infinities and Int.max never reach arithmetic that
/// would trap, allocate terabytes or hand libav a value it aborts on.
public enum NumberRange {
    public static let seconds = 0.0 ... 86_400           // start times, trims, edit ranges: one day
    public static let presenterScale = 0.05 ... 1.0
    public static let canvasPixels = 0 ... 4096          // margins, seam, bands: within the largest canvas
    public static let keySimilarity = 0.0001 ... 1.0     // libavfilter chromakey's own range (0 is refused)
    public static let keyBlend = 0.0 ... 1.0
    public static let fraction = 0.0 ... 1.0
    public static let musicVolume = -60.0 ... 20
    public static let duck = 0.0 ... 60
    public static let loudness = -40.0 ... -5
    public static let truePeak = -9.0 ... 0
    public static let hookZoom = 1.0 ... 1.5
    public static let captionSize = 12 ... 400
    public static let threads = 0 ... 64
    public static let crf = 0 ... 51
    public static let cropPixels = 0 ... 16_384

    /// `value` when in `range`, else an error naming `name` (a flag or a plan key path).
    public static func check(_ value: Double, _ name: String, _ range: ClosedRange<Double>) throws -> Double {
        guard range.contains(value) else {
            throw RenderFlags.Invalid(message: "\(name) \(value): expected a number from \(text(range.lowerBound)) to \(text(range.upperBound))")
        }
        return value
    }

    public static func check(_ value: Int, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            throw RenderFlags.Invalid(message: "\(name) \(value): expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func text(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e9 ? String(Int(v)) : String(v) }
}
