import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct CaptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "captions",
        abstract: "Lint and preview subtitles without rendering: each cue's lines exactly as they will be drawn, its size, and warnings.",
        discussion: """
        SUBTITLES is an SRT/VTT/ASS file, or a plan (.yaml/.json) whose subtitles, fonts, sizes, \
        canvas size and lexicon are used. Lines are laid out by the render's own code at the render's \
        width, fonts and sizes. Warnings: overlapping or out-of-order cues, a cue too long for two \
        lines even at the floor size, characters no installed font has, reading speed over \
        --max-cps-zh/--max-cps-en, cues shorter than 0.7 s, gaps under 2 frames (flicker). \
        Warnings do not change the exit code (0); a broken file exits 65.

        \(ReelExit.help)
        """
    )

    @Argument(help: "A subtitle file (SRT, WebVTT, ASS) or a plan file.") var subtitles: String
    /// The render's own caption flags (same help, same range checks).
    @OptionGroup var captionFlags: CaptionArguments
    @Option(help: "Output size WxH the captions are laid out for (default 1080x1920).") var size: String?
    @Option(help: "Frame rate the flicker check uses: 25, 30 (default), 50 or 60.") var fps: Int?
    @Option(name: .customLong("max-cps-zh"), help: "Chinese reading speed warning, characters per second (default 9).") var maxCPSChinese: Double?
    @Option(name: .customLong("max-cps-en"), help: "English reading speed warning, characters per second (default 20).") var maxCPSEnglish: Double?
    @Option(help: "Output format: text or json.") var format: String = "text"

    func run() throws {
        MediaLog.configure(verbose: false)
        guard ["text", "json"].contains(format) else { fail(MediaError(.usage, path: "", "--format \(format): use text or json")) }
        do {
            var limits = CaptionLimits()
            for (v, name) in [(maxCPSChinese, "--max-cps-zh"), (maxCPSEnglish, "--max-cps-en")] {
                if let v, !(v > 0 && v.isFinite) { throw MediaError(.usage, path: "", "\(name) \(v): expected a positive number") }
            }
            if let v = maxCPSChinese { limits.chineseCPS = v }
            if let v = maxCPSEnglish { limits.englishCPS = v }
            let report = try CaptionLint.check(try makeOptions(), limits: limits)
            print(format == "json" ? try report.json() : report.text)
        } catch { fail(error) }
    }

    /// A plan's settings (when SUBTITLES is one), then the flags on top.
    func makeOptions() throws -> RenderOptions {
        var o = RenderOptions(input: "", output: "")
        if Plan.isPlan(subtitles) {
            let plan = try Plan.read(path: subtitles)
            do { try plan.apply(to: &o, directory: (subtitles as NSString).deletingLastPathComponent) } catch let e as PlanError {
                throw MediaError(.invalidInput, path: subtitles, e.description)
            } catch let e as RenderFlags.Invalid {
                throw MediaError(.invalidInput, path: subtitles, e.message)
            }
            guard o.subtitles != nil || o.subtitlesEnglish != nil else {
                throw MediaError(.invalidInput, path: subtitles, "subtitles: missing (the plan has no captions to check)")
            }
        } else {
            o.subtitles = subtitles
        }
        do {
            if let size { (o.width, o.height) = try RenderFlags.parseSize(size) }
            try captionFlags.apply(to: &o)
        } catch let e as RenderFlags.Invalid { throw MediaError(.usage, path: "", e.message) }
        if let v = fps { o.fps = v }
        try RenderPlanner.checkFrame(o)
        return o
    }
}
