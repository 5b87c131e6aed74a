import XCTest
@testable import ReelKit

/// Plan files: every field reaches the options, paths are relative to the plan, unknown
/// keys and wrong types name their key path.
final class PlanTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-plan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ text: String, _ name: String = "plan.yaml") throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func options(_ text: String, name: String = "plan.yaml") throws -> RenderOptions {
        let path = try write(text, name)
        var o = RenderOptions(input: "", output: "")
        try Plan.read(path: path).apply(to: &o, directory: dir.path)
        return o
    }

    func error(_ text: String, name: String = "plan.yaml") -> String {
        do { _ = try options(text, name: name); return "no error" } catch { return "\(error)" }
    }

    func testSmallestPlan() throws {
        let o = try options("source: rec.mp4\npresenter: me.webm\nsubtitles: talk.srt\noutput: out.mp4\n")
        XCTAssertEqual(o.input, dir.appendingPathComponent("rec.mp4").path)
        XCTAssertEqual(o.presenter?.path, dir.appendingPathComponent("me.webm").path)
        XCTAssertEqual(o.subtitles, dir.appendingPathComponent("talk.srt").path)
        XCTAssertEqual(o.output, dir.appendingPathComponent("out.mp4").path)
    }

    func testEveryBlock() throws {
        let o = try options("""
        source: /abs/rec.mp4
        output: out.mp4
        crop: auto
        trim: "1:40"
        fps: 25
        size: 720x1280
        crf: 23
        presenter: {file: me.mp4, key: green, mask: circle, fit: hold, fill: cover, start: 1.5, scale: 0.3, anchor: bottom-right, margin: 10, audio: false, focus: [0.4, 0.3]}
        stickers:
          - {text: AI, layer: presenter, x: 0.5, y: 0.12, size: 0.18, color: "#fff", rotate: -6, track: true}
          - {image: logo.png, layer: canvas, x: 0.9, y: 0.1, size: 0.1}
        layout: {template: split, seam: 1000, caption_bottom: 980, presenter_box: [0, 1000, 1080, 920]}
        subtitles: {file: talk.srt, english: en.srt, size_zh: 60, box: "#00000099"}
        title: 标题
        hook: {start: 31.2, duration: 2.5, title: 视频第一次可以被直接优化, title_en: Video is directly optimizable, zoom: 1.08, flash: false, keywords: [TikTok]}
        edit: [{from: 0, to: 10}, {from: 12}]
        audio: {voice: v.wav, music: m.ogg, music_volume: -15, duck: 9, loudness: -16, screen_audio: true}
        """)
        XCTAssertEqual(o.input, "/abs/rec.mp4")
        XCTAssertEqual(o.crop, .auto)
        XCTAssertEqual(o.trimStart, 1); XCTAssertEqual(o.trimEnd, 40)
        XCTAssertEqual(o.fps, 25); XCTAssertEqual(o.width, 720); XCTAssertEqual(o.crf, 23)
        let p = try XCTUnwrap(o.presenter)
        XCTAssertEqual(p.key, .green); XCTAssertEqual(p.mask, .circle); XCTAssertEqual(p.fit, .hold)
        XCTAssertEqual(p.fitMode, .cover); XCTAssertEqual(p.start, 1.5); XCTAssertEqual(p.anchor, .bottomRight)
        XCTAssertEqual(p.useAudio, false); XCTAssertEqual(p.focusX, 0.4)
        XCTAssertEqual(o.stickers.count, 2)
        XCTAssertEqual(o.stickers[0].text, "AI"); XCTAssertEqual(o.stickers[0].rotation, -6)
        XCTAssertTrue(o.stickers[0].track); XCTAssertFalse(o.stickers[1].track)
        XCTAssertEqual(o.stickers[1].image, dir.appendingPathComponent("logo.png").path)
        XCTAssertEqual(o.layout, .split); XCTAssertEqual(o.layoutOverrides.seam, 1000)
        XCTAssertEqual(o.layoutOverrides.presenter, PixelRect(x: 0, y: 1000, width: 1080, height: 920))
        XCTAssertEqual(o.subtitlesEnglish, dir.appendingPathComponent("en.srt").path)
        XCTAssertEqual(o.captions.chinese.size, 60)
        XCTAssertEqual(o.hook, .range(start: 31.2, duration: 2.5))
        XCTAssertEqual(o.hookZoom, 1.08); XCTAssertFalse(o.hookFlash); XCTAssertEqual(o.hookKeywords, ["TikTok"])
        XCTAssertEqual(o.edit, [EditRange(from: 0, to: 10), EditRange(from: 12, to: nil)])
        XCTAssertEqual(o.musicVolume, -15); XCTAssertEqual(o.duckDepth, 9); XCTAssertEqual(o.loudness, -16)
        XCTAssertEqual(o.screenAudio, true)
    }

    func testHookShorthands() throws {
        XCTAssertEqual(try options("hook: auto\n").hook, .auto(duration: 2))
        XCTAssertEqual(try options("hook: '12:3'\n").hook, .range(start: 12, duration: 3))
        XCTAssertEqual(try options("hook: {auto: true, duration: 1.5}\n").hook, .auto(duration: 1.5))
    }

    func testJSONPlan() throws {
        let o = try options(#"{"source": "rec.mp4", "fps": 50, "hook": {"start": 3}}"#, name: "plan.json")
        XCTAssertEqual(o.fps, 50)
        XCTAssertEqual(o.hook, .range(start: 3, duration: 2))
    }

    /// The issue-15 flags have plan keys: `keep_black_start` and `deinterlace`.
    func testCoverAndDeinterlaceKeys() throws {
        let o = try options("source: rec.mp4\nkeep_black_start: true\ndeinterlace: off\n")
        XCTAssertTrue(o.keepLeadingBlank)
        XCTAssertEqual(o.deinterlace, .off)
        let d = try options("source: rec.mp4\n")
        XCTAssertFalse(d.keepLeadingBlank)
        XCTAssertEqual(d.deinterlace, .auto)
        XCTAssertTrue(error("deinterlace: maybe\n").contains("deinterlace maybe: expected auto, on or off"), error("deinterlace: maybe\n"))
        XCTAssertTrue(error("keep_black_start: sometimes\n").contains("keep_black_start: expected true or false"), error("keep_black_start: sometimes\n"))
    }

    func testErrorsNameTheKeyPath() {
        XCTAssertTrue(error("source: a.mp4\ncolour: red\n").contains("colour: unknown key"), error("source: a.mp4\ncolour: red\n"))
        XCTAssertTrue(error("presenter: {file: a.webm, maks: circle}\n").contains("presenter.maks: unknown key"))
        XCTAssertTrue(error("fps: fast\n").contains("fps: expected a whole number"), error("fps: fast\n"))
        XCTAssertTrue(error("stickers:\n  - {text: AI, size: big}\n").contains("stickers[0]"), error("stickers:\n  - {text: AI, size: big}\n"))
        XCTAssertTrue(error("stickers:\n  - {text: AI, track: maybe}\n").contains("track=maybe: expected on or off"))
        XCTAssertTrue(error("stickers:\n  - {text: AI, layer: canvas, track: true}\n").contains("needs layer=presenter"))
        XCTAssertTrue(error("edit: [{from: 1, too: 3}]\n").contains("edit[0].too: unknown key"), error("edit: [{from: 1, too: 3}]\n"))
        XCTAssertTrue(error("layout: {template: grid}\n").contains("layout.template: 'grid'"))
        XCTAssertTrue(error("hook: {start: 2, duration: 9}\n").contains("1 to 5 seconds"))
        XCTAssertTrue(error("source: [a, b]\n").contains("source: expected a single value"), error("source: [a, b]\n"))
        XCTAssertTrue(error("{\"fps\": \"x\"}", name: "p.json").contains("fps: expected a whole number"), error("{\"fps\": \"x\"}", name: "p.json"))
    }
}
