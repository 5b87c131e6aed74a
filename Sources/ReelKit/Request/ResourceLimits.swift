import Foundation
import ReelMedia

/// How much work one render may be handed: a hostile file should get a clear error, not
/// minutes of CPU and gigabytes. Each bound has a name for `--limit NAME=VALUE`, for the
/// rare real input beyond it.
public struct ResourceLimits: Sendable, Equatable, Codable {
    /// Characters in one subtitle cue (the longest real caption is a few hundred).
    public var cueLength = 2_000
    /// Cues in one subtitle file (a two-hour film has ~2 000).
    public var cues = 50_000
    /// Seconds of output.
    public var duration = 4 * 3600.0
    /// Width or height of the recording or presenter, in pixels.
    public var picture = 16_384
    /// Pixels of a decoded image (sticker, still presenter): a PNG/GIF bomb is refused unopened.
    public var imagePixels = 50_000_000

    /// Size and alias bounds of a plan file, checked before it is decoded.
    public var plan = PlanLimits()

    public init() {}

    static let names = ["cue-length", "cues", "duration", "picture", "image-pixels", "plan-bytes", "plan-aliases"]

    /// Applies `NAME=VALUE` (a positive number; `plan-aliases` may be 0). `flag`: how the user
    /// wrote it, for the error (an older spelling such as `--plan-max-bytes N`).
    public mutating func set(_ assignment: String, flag: String? = nil) throws {
        let given = flag ?? "--limit \(assignment)"
        let kv = assignment.split(separator: "=", maxSplits: 1).map(String.init)
        let expected = "\(given): expected NAME=VALUE, a positive number, with NAME one of \(Self.names.joined(separator: ", "))"
        guard kv.count == 2, let v = Double(kv[1]), v.isFinite, v.magnitude <= 1e12 else { throw RenderFlags.Invalid(message: expected) }
        func whole(_ range: ClosedRange<Int>) throws -> Int {
            guard v.rounded() == v, range.contains(Int(v)) else {
                throw RenderFlags.Invalid(message: "\(given): expected \(kv[0])=N with N from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(v)
        }
        if v < 1, !kv[0].hasPrefix("plan-") { throw RenderFlags.Invalid(message: expected) }
        switch kv[0] {
        case "cue-length": cueLength = Int(v)
        case "cues": cues = Int(v)
        case "duration": duration = v
        case "picture": picture = Int(v)
        case "image-pixels": imagePixels = Int(v)
        // Above 1 GiB the expansion budget (16 ×) would no longer fit the scan's arithmetic.
        case "plan-bytes": plan.maximumBytes = try whole(1...(1 << 30))
        case "plan-aliases": plan.maximumAliases = try whole(0...1_000_000)
        default: throw RenderFlags.Invalid(message: "--limit \(kv[0]): unknown limit (\(Self.names.joined(separator: ", ")))")
        }
    }

    /// Refuses a picture (from its header, before decoding) over `picture` or `imagePixels`.
    func checkPicture(_ stream: StreamInfo, path: String) throws {
        let w = stream.width ?? 0, h = stream.height ?? 0
        if w > picture || h > picture { throw exceeded("picture size \(w)x\(h)", "picture", path: path) }
        if w * h > imagePixels { throw exceeded("a \(w)x\(h) picture (\(w * h) pixels)", "image-pixels", path: path) }
    }

    /// The error for a value over the limit `name`.
    func exceeded(_ what: String, _ name: String, path: String) -> Error {
        MediaError(.invalidInput, path: path, "\(what); reel's limit is \(limitText(name)) (raise it with --limit \(name)=N)")
    }

    private func limitText(_ name: String) -> String {
        switch name {
        case "cue-length": return "\(cueLength) characters per cue"
        case "cues": return "\(cues) cues"
        case "duration": return String(format: "%.0f s", duration)
        case "picture": return "\(picture) pixels wide or high"
        default: return "\(imagePixels) pixels per image"
        }
    }
}
