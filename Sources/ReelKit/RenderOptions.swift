import Foundation
import ReelMedia

/// Everything `reel render` needs to know. Flags and (later) plan files fill it in.
public struct RenderOptions: Sendable {
    public enum Crop: Sendable, Equatable { case none, rect(PixelRect), auto }
    public enum Background: Sendable, Equatable { case blur, color(red: UInt8, green: UInt8, blue: UInt8) }
    public enum ProgressMode: Sendable { case auto, json, quiet }

    public var input: String
    public var output: String
    public var crop: Crop = .none
    /// Seconds of the source to use; nil = from the start / to the end.
    public var trimStart: Double?
    public var trimEnd: Double?
    public var fps: Int = 30
    public var width: Int = 1080
    public var height: Int = 1920
    public var background: Background = .blur
    public var crf: Int = 20
    public var preset: String = "veryfast"
    public var encoder: String = "libx264"
    public var force = false
    public var safeArea: SafeArea = .douyin
    /// Threads for decoding and filtering (0 = automatic).
    public var threads: Int = 0
    public var deterministic = false
    public var progress: ProgressMode = .auto
    /// Write the composed frames' checksums (framemd5) here: what the compositor produced,
    /// independent of the encoder.
    public var frameHashes: String?
    /// Composed frames to save as PNG (output frame index → path), e.g. for previews and
    /// golden-test artifacts.
    public var snapshots: [Int: String] = [:]
    /// Burned-in subtitles: a bilingual SRT/VTT/ASS file (Chinese line, then English line),
    /// or a Chinese file plus an English file merged by time.
    public var subtitles: String?
    public var subtitlesEnglish: String?
    /// nil = detect (UTF-8 with/without BOM, UTF-16 BOM, else GB18030).
    public var subtitlesEncoding: String?
    public var captions = CaptionStyle()
    /// A title shown for the whole video in the top safe band (Chinese, optional English).
    public var title: String?
    public var titleEnglish: String?
    /// Test hook: changes one pixel of every composed frame, to prove golden tests catch it.
    var perturbOnePixelForTesting = false

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    public static let allowedFrameRates = [25, 30, 50, 60]
}
