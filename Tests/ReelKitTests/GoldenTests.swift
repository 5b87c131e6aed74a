import XCTest
import ReelMedia
import ReelText
@testable import ReelKit

/// Golden composed-frame hashes (FATE style): each scenario renders deterministically and
/// its composed frames' framemd5 must equal `Fixtures/golden/<scenario>.framemd5`.
/// `REEL_RECORD_GOLDENS=1` rewrites them (and their reference thumbnails). On a mismatch the
/// test names the first differing frame and leaves expected / actual / diff PNGs and the
/// PSNR in `.build/reel-artifacts/<scenario>/`.
final class GoldenTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let goldenDir = root.appendingPathComponent("Fixtures/golden")
    static let artifactsDir = root.appendingPathComponent(".build/reel-artifacts")
    static var recording: Bool { ProcessInfo.processInfo.environment["REEL_RECORD_GOLDENS"] == "1" }

    struct Scenario: Sendable {
        var name: String
        var input: String
        var fonts: [String] = []
        var configure: @Sendable (inout RenderOptions) -> Void = { _ in }
    }

    /// Every layer that exists so far, one second each to keep the suite fast.
    static let scenarios: [Scenario] = [
        Scenario(name: "plain-blur", input: "recording-16x9.mp4"),
        Scenario(name: "crop-colour-720", input: "recording-16x9.mp4") {
            $0.crop = .rect(PixelRect(x: 200, y: 30, width: 240, height: 330))
            $0.background = .color(red: 0x20, green: 0x30, blue: 0x40)
            $0.width = 720
            $0.height = 1280
        },
        Scenario(name: "rotated-phone", input: "phone-rotated.mp4"),
        Scenario(name: "fullrange-bt601", input: "fullrange-bt601.mp4"),
        // Two-line Chinese cue with emphasis, a long English line; fonts pinned from Fixtures/.
        Scenario(name: "subtitles", input: "recording-16x9.mp4", fonts: ["NotoSansSC-golden-subset.otf"]) {
            let font = GoldenTests.root.appendingPathComponent("Fixtures/fonts/NotoSansSC-golden-subset.otf").path
            $0.subtitles = GoldenTests.root.appendingPathComponent("Fixtures/subtitles/golden.srt").path
            $0.captions.chinese.font = font
            $0.captions.english.font = font
        },
        // Presenters (issue 5): a VP9 cut-out with alpha and the "AI" sticker (pip), a keyed
        // green screen, a talking head in a circle, a still PNG.
        Scenario(name: "presenter-alpha-sticker", input: "recording-16x9.mp4", fonts: ["NotoSansSC-golden-subset.otf"]) {
            $0.presenter = PresenterOptions(path: GoldenTests.media("presenter-alpha.webm"))
            var sticker = StickerSpec()
            sticker.text = "AI"
            sticker.y = 0.22
            sticker.size = 0.2
            sticker.rotation = -8
            sticker.font = GoldenTests.goldenFont
            $0.stickers = [sticker]
        },
        Scenario(name: "presenter-green-key", input: "recording-16x9.mp4") {
            $0.presenter = PresenterOptions(path: GoldenTests.media("presenter-green.mp4"))
            $0.presenter!.key = .green
            $0.layout = .split
        },
        Scenario(name: "presenter-circle", input: "recording-16x9.mp4") {
            $0.presenter = PresenterOptions(path: GoldenTests.media("presenter-talk.mp4"))
            $0.presenter!.mask = .circle
            $0.layout = .pip
        },
        Scenario(name: "presenter-still", input: "recording-16x9.mp4") {
            $0.presenter = PresenterOptions(path: GoldenTests.media("presenter-still.png"))
        },
        // The hook (issue 6): 3.0–3.5 s first with its headline, punch-in and flash, then 0–0.5 s.
        Scenario(name: "hook", input: "recording-16x9.mp4", fonts: ["NotoSansSC-golden-subset.otf"]) {
            $0.trimEnd = nil
            $0.edit = [EditRange(from: 0, to: 0.5)]
            $0.hook = .range(start: 3, duration: 0.5)
            $0.hookTitle = "视频第一次可以被直接优化"
            $0.hookTitleEnglish = "Video is directly optimizable"
            $0.hookZoom = 1.08
            $0.captions.chinese.font = GoldenTests.goldenFont
            $0.captions.english.font = GoldenTests.goldenFont
        },
        // The built-in example (issue 8), a short cut: its plan with a 0.5 s hook from the
        // punchline and 0.5 s of the body (system Noto Sans CJK, as `reel demo` uses).
        Scenario(name: "demo-cut", input: "../example/recording.mp4", fonts: ["Noto Sans CJK SC (fonts-noto-cjk, system)"]) {
            let output = $0.output
            let plan = GoldenTests.root.appendingPathComponent("Fixtures/example/plan.yaml")
            try! Plan.read(path: plan.path).apply(to: &$0, directory: plan.deletingLastPathComponent().path)
            $0.output = output
            $0.trimEnd = nil
            $0.edit = [EditRange(from: 12, to: 12.5)]
            $0.hook = .range(start: 32.67, duration: 0.5)
        },
    ]

    static func media(_ name: String) -> String { root.appendingPathComponent("Fixtures/media/\(name)").path }
    static var goldenFont: String { root.appendingPathComponent("Fixtures/fonts/NotoSansSC-golden-subset.otf").path }

    /// Reference thumbnails kept next to the hashes (quarter size), for looking at a failure.
    static let thumbnailFrames = [0, 29]

    // One test per scenario: a failure names its scenario, and the others still run.
    func testGoldenPlainBlur() throws { try check(named: "plain-blur") }
    func testGoldenCropColour720() throws { try check(named: "crop-colour-720") }
    func testGoldenRotatedPhone() throws { try check(named: "rotated-phone") }
    func testGoldenFullRangeBT601() throws { try check(named: "fullrange-bt601") }
    func testGoldenSubtitles() throws { try check(named: "subtitles") }
    func testGoldenPresenterAlphaSticker() throws { try check(named: "presenter-alpha-sticker") }
    func testGoldenPresenterGreenKey() throws { try check(named: "presenter-green-key") }
    func testGoldenPresenterCircle() throws { try check(named: "presenter-circle") }
    func testGoldenPresenterStill() throws { try check(named: "presenter-still") }
    func testGoldenHook() throws { try check(named: "hook") }
    func testGoldenDemoCut() throws { try check(named: "demo-cut") }

    /// The scenarios the methods above check: a scenario added without its method fails here.
    static let checked: Set<String> = ["plain-blur", "crop-colour-720", "rotated-phone", "fullrange-bt601", "subtitles",
                                       "presenter-alpha-sticker", "presenter-green-key", "presenter-circle", "presenter-still",
                                       "hook", "demo-cut"]

    func testEveryScenarioHasItsOwnTest() {
        XCTAssertEqual(Set(Self.scenarios.map(\.name)), Self.checked)
    }

    func check(named name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        guard let scenario = Self.scenarios.first(where: { $0.name == name }) else { return XCTFail("no scenario \(name)", file: file, line: line) }
        try check(scenario, file: file, line: line)
    }

    /// One changed pixel must fail the golden check and leave the artifacts behind.
    func testPerturbedRenderIsCaught() throws {
        let scenario = Self.scenarios[0]
        let golden = Self.goldenDir.appendingPathComponent("\(scenario.name).framemd5")
        try XCTSkipIf(Self.recording || !FileManager.default.fileExists(atPath: golden.path), "recording goldens")
        let outcome = try evaluate(scenario, perturb: true, artifactsName: "perturbed-\(scenario.name)")
        guard case .mismatch(let frame, let message) = outcome else {
            return XCTFail("a one-pixel change was not caught")
        }
        XCTAssertEqual(frame, 0)
        XCTAssertTrue(message.contains("first differing frame 0"), message)
        let dir = Self.artifactsDir.appendingPathComponent("perturbed-\(scenario.name)")
        for file in ["expected-0000.png", "actual-0000.png", "diff-0000.png", "psnr.txt"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(file).path), "missing artifact \(file)")
        }
        let psnr = try String(contentsOf: dir.appendingPathComponent("psnr.txt"), encoding: .utf8)
        XCTAssertTrue(psnr.contains("frame 0"), psnr)
    }

    enum Outcome { case match, recorded, mismatch(frame: Int, message: String) }

    func check(_ scenario: Scenario, file: StaticString = #filePath, line: UInt = #line) throws {
        switch try evaluate(scenario, perturb: false, artifactsName: scenario.name) {
        case .match: break
        case .recorded:
            // Recording is never a pass (as swift-snapshot-testing does): the new hashes must be
            // looked at and the run repeated without REEL_RECORD_GOLDENS.
            XCTFail("recorded golden \(scenario.name) (REEL_RECORD_GOLDENS=1): look at Fixtures/golden/\(scenario.name)/, "
                    + "then run again without it", file: file, line: line)
        case .mismatch(_, let message): XCTFail(message, file: file, line: line)
        }
    }

    func render(_ scenario: Scenario, perturb: Bool, snapshots: [Int: String]) throws -> FrameHashFile {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("reel-golden-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var o = RenderOptions(input: Self.root.appendingPathComponent("Fixtures/media/\(scenario.input)").path,
                              output: tmp.appendingPathComponent("out.mp4").path)
        o.trimEnd = 1
        o.deterministic = true
        o.progress = .quiet
        o.preset = "ultrafast"
        o.frameHashes = tmp.appendingPathComponent("hashes.framemd5").path
        o.snapshots = snapshots
        o.perturbOnePixelForTesting = perturb
        scenario.configure(&o)
        _ = try RenderPipeline(job: try RenderPlanner().plan(o)).run()
        return try FrameHashFile.parse(String(contentsOfFile: o.frameHashes!, encoding: .utf8))
    }

    static func headerNotes(_ scenario: Scenario) -> [String] {
        ["reel-scenario: \(scenario.name) (\(scenario.input), first second, --deterministic)",
         "libavcodec: \(LibraryVersions.avcodec)", "libswscale: \(LibraryVersions.swscale)",
         "libavfilter: \(LibraryVersions.avfilter)",
         scenario.fonts.isEmpty ? "freetype: not used (no text layers in this scenario)"
            : "freetype: \((try? TextRasterizer().libraryVersions) ?? "?")",
         "fonts: \(scenario.fonts.isEmpty ? "none" : scenario.fonts.joined(separator: ", "))"]
    }

    func evaluate(_ scenario: Scenario, perturb: Bool, artifactsName: String) throws -> Outcome {
        let fm = FileManager.default
        let golden = Self.goldenDir.appendingPathComponent("\(scenario.name).framemd5")
        let thumbs = Self.goldenDir.appendingPathComponent(scenario.name)
        if Self.recording && !perturb {
            try fm.createDirectory(at: thumbs, withIntermediateDirectories: true)
            let full = Dictionary(uniqueKeysWithValues: Self.thumbnailFrames.map {
                ($0, fm.temporaryDirectory.appendingPathComponent("reel-thumb-\(UUID().uuidString).png").path) })
            var hashes = try render(scenario, perturb: false, snapshots: full)
            hashes.notes = Self.headerNotes(scenario)
            try hashes.text.write(to: golden, atomically: true, encoding: .utf8)
            for (frame, path) in full {
                let image = try PNGFile.read(path)
                try PNGFile.write(try quarter(image), to: thumbs.appendingPathComponent(String(format: "frame-%04d.png", frame)).path)
                try? fm.removeItem(atPath: path)
            }
            return .recorded
        }
        guard fm.fileExists(atPath: golden.path) else {
            return .mismatch(frame: -1, message: "\(scenario.name): no golden file \(golden.path); record with REEL_RECORD_GOLDENS=1")
        }
        let expected = try FrameHashFile.parse(String(contentsOf: golden, encoding: .utf8), path: golden.path)
        let actual = try render(scenario, perturb: perturb, snapshots: [:])
        let pairs = zip(expected.entries, actual.entries)
        guard let first = pairs.enumerated().first(where: { $0.element.0.md5 != $0.element.1.md5 })?.offset
                ?? (expected.entries.count != actual.entries.count ? min(expected.entries.count, actual.entries.count) : nil) else {
            return .match
        }
        // Write artifacts: the actual frames at the reference thumbnails and the first difference.
        let dir = Self.artifactsDir.appendingPathComponent(artifactsName)
        try? fm.removeItem(at: dir)
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        var wanted = Set(Self.thumbnailFrames)
        wanted.insert(first)
        let snapshots = Dictionary(uniqueKeysWithValues: wanted.map { ($0, dir.appendingPathComponent(String(format: "actual-full-%04d.png", $0)).path) })
        _ = try render(scenario, perturb: perturb, snapshots: snapshots)
        var report = ["scenario \(scenario.name): first differing frame \(first)"]
        for frame in wanted.sorted() {
            let thumbPath = thumbs.appendingPathComponent(String(format: "frame-%04d.png", frame)).path
            guard let actualFull = try? PNGFile.read(snapshots[frame]!) else { continue }
            guard fm.fileExists(atPath: thumbPath) else {
                report.append("frame \(frame): no reference thumbnail; actual frame in actual-full-\(String(format: "%04d", frame)).png")
                continue
            }
            let expectedThumb = try PNGFile.read(thumbPath)
            let actualThumb = try quarter(actualFull)
            try PNGFile.write(expectedThumb, to: dir.appendingPathComponent(String(format: "expected-%04d.png", frame)).path)
            try PNGFile.write(actualThumb, to: dir.appendingPathComponent(String(format: "actual-%04d.png", frame)).path)
            try PNGFile.write(actualThumb.difference(from: expectedThumb), to: dir.appendingPathComponent(String(format: "diff-%04d.png", frame)).path)
            report.append(String(format: "frame %d: PSNR %.2f dB (quarter-size thumbnails)", frame, actualThumb.psnr(against: expectedThumb)))
        }
        try report.joined(separator: "\n").write(to: dir.appendingPathComponent("psnr.txt"), atomically: true, encoding: .utf8)
        let seconds = Double(first) / Double(expected.streams.first.map { $0.timeBase.den } ?? 30)
        return .mismatch(frame: first, message: "golden mismatch: scenario \(scenario.name): first differing frame \(first) at "
                         + String(format: "%.3f s", seconds) + "; expected/actual/diff PNGs and PSNR in \(dir.path)")
    }

    /// Quarter-size copy (box-averaged) so reference thumbnails stay small in the repository.
    func quarter(_ image: RGBImage) throws -> RGBImage {
        let w = image.width / 4, h = image.height / 4
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    var sum = 0
                    for dy in 0..<4 { for dx in 0..<4 { sum += Int(image.pixels[((y * 4 + dy) * image.width + x * 4 + dx) * 3 + c]) } }
                    out[(y * w + x) * 3 + c] = UInt8(sum / 16)
                }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }
}
