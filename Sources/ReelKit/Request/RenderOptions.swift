import Foundation
import ReelMedia

/// Everything `reel render` needs to know. Flags and (later) plan files fill it in.
public struct RenderOptions: Sendable, Codable {
    /// `byDefault`: `auto` for a landscape recording that the screen band would shrink,
    /// else the whole picture (see CropDecision).
    public enum Crop: Sendable, Equatable, Codable { case none, rect(PixelRect), auto, byDefault }
    public enum Background: Sendable, Equatable, Codable { case blur, color(red: UInt8, green: UInt8, blue: UInt8) }
    public enum ProgressMode: Sendable, Codable { case auto, json, quiet }

    public var input: String
    /// The plan file the options came from (an input like any other), nil without one.
    public var planPath: String?
    public var output: String
    public var crop: Crop = .byDefault
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
    /// `reel preview`: compose only the frame shown at this output time and write it as a
    /// PNG to `output`; nothing is encoded.
    public var previewAt: Double?
    /// Burned-in subtitles: a bilingual SRT/VTT/ASS file (Chinese line, then English line),
    /// or a Chinese file plus an English file merged by time.
    public var subtitles: String?
    public var subtitlesEnglish: String?
    /// nil = detect (UTF-8 with/without BOM, UTF-16 BOM, else GB18030).
    public var subtitlesEncoding: String?
    public var captions = CaptionStyle()
    /// Words captions never break inside (one a line), besides the dictionary's and reel's own.
    public var lexicon: String?
    /// A title shown for the whole video in the top safe band (Chinese, optional English).
    public var title: String?
    public var titleEnglish: String?
    /// The talking head (video or image) and its placement.
    public var presenter: PresenterOptions?
    /// Text or images attached to the presenter or the canvas (the "AI" on the cap).
    public var stickers: [StickerSpec] = []
    /// nil = `split` for a rectangular presenter, `pip` for a cut-out, `screen` without one.
    public var layout: LayoutTemplate?
    public var layoutOverrides = LayoutOverrides()

    /// The output as source ranges (nil = the whole recording, or its --trim).
    public var edit: [EditRange]?
    /// A hook cut played first: its picture, voice and subtitles, under a headline.
    public var hook: Hook?
    public enum Hook: Sendable, Equatable, Codable {
        case range(start: Double, duration: Double)
        /// Picked by `HookPicker`'s score.
        case auto(duration: Double)
    }
    public var hookTitle: String?
    public var hookTitleEnglish: String?
    /// Punch-in during the hook (1 = none; 1.08 zooms to 108 % by its end).
    public var hookZoom = 1.0
    /// A short white flash marks the cut from the hook into the body.
    public var hookFlash = true
    /// Keep black or blank frames at the start of the source (skipped by default: LeadingBlank).
    public var keepLeadingBlank = false
    /// Deinterlace the recording with bwdif (Deinterlacer).
    public var deinterlace: DeinterlaceMode = .auto
    /// Words that make a window a better hook (`--hook auto`).
    public var hookKeywords: [String] = []

    /// A narration file that replaces the presenter's sound as the voice.
    public var voice: String?
    /// Source-timeline second where the voice file starts.
    public var voiceStart = 0.0
    /// The recording's own sound: nil = only when there is no voice.
    public var screenAudio: Bool?
    public var music: String?
    /// Music level relative to the voice, in dB (music in the voice's gaps).
    public var musicVolume = -12.0
    /// How far the music dips under the voice, in dB.
    public var duckDepth = 12.0
    /// Integrated loudness of the mix (LUFS) and its true-peak ceiling (dBTP).
    public var loudness = -14.0
    public var truePeak = -1.0

    /// Bounds on the work a render may be handed (`--limit NAME=VALUE`).
    public var limits = ResourceLimits()

    /// Test hook: changes one pixel of every composed frame, to prove golden tests catch it.
    var perturbOnePixelForTesting = false

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    public static let allowedFrameRates = [25, 30, 50, 60]
}
