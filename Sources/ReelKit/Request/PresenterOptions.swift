import Foundation

/// What the presenter is and how it is shown: `reel render --presenter …` or a plan's
/// `presenter:` block.
public struct PresenterOptions: Sendable, Equatable, Codable {
    public enum Key: Sendable, Equatable, Codable {
        case green, blue, color(red: UInt8, green: UInt8, blue: UInt8)
        /// The colour keyed out: studio chroma-key green and blue.
        var hex: String {
            switch self {
            case .green: return "0x00B140"
            case .blue: return "0x0047BB"
            case .color(let r, let g, let b): return String(format: "0x%02X%02X%02X", r, g, b)
            }
        }
        /// Which colour's spill to suppress on the subject's edges.
        var spill: String {
            switch self {
            case .blue: return "blue"
            case .green: return "green"
            case .color(_, let g, let b): return b > g ? "blue" : "green"
            }
        }
    }
    public enum Mask: String, Sendable, Codable, CaseIterable { case none, circle, rounded }
    /// A presenter shorter than the output: loop it, hold its last frame, or end the video with it.
    public enum Fit: String, Sendable, Codable, CaseIterable { case loop, hold, cut }

    public var path: String
    public var key: Key?
    /// chromakey's similarity and blend (0…1).
    public var keySimilarity = 0.14
    public var keyBlend = 0.08
    public var mask: Mask = .none
    /// Source-timeline second at which the presenter's first frame plays.
    public var start = 0.0
    public var fit: Fit = .loop
    /// The presenter's own sound is the voice (unless `--voice` replaces it).
    public var useAudio = true
    /// contain/cover; nil = by the template (cut-outs contain, rectangles cover).
    public var fitMode: PresenterFitMode?
    /// Box from scale (fraction of the canvas width), anchor and margin, instead of the template's.
    public var scale: Double?
    public var anchor: Anchor?
    public var margin: Int?
    /// The face region's centre in the presenter picture (fractions), kept in view by crops.
    public var focusX = 0.5, focusY = 0.35

    public enum Anchor: String, Sendable, Codable, CaseIterable {
        case bottomLeft = "bottom-left", bottomRight = "bottom-right", bottom, center, top, topLeft = "top-left", topRight = "top-right"
    }

    public init(path: String) { self.path = path }
}
