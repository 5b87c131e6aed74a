// End-to-end tests: run the built `reel` binary on the committed fixtures
// (Fixtures/, made by Scripts/make-fixtures) and check the results with
// ffprobe/ffmpeg only. See Support.swift for the helpers.

import Foundation
import XCTest

/// What a rendered file must look like (defaults = reel's default output).
struct Expect {
    var width = 1080
    var height = 1920
    var fps = 30
    /// Expected video duration in seconds (input duration, or trim length).
    var duration: Double
    /// Whether the audio must be digital silence (inputs without audio).
    var silentAudio: Bool? = nil
}

/// Input duration as ffprobe reports it (container duration).
func inputDuration(_ fixture: String) throws -> Double {
    guard let d = try MediaInfo(Paths.fixture(fixture)).duration else {
        throw TestFailure("ffprobe reports no duration for \(fixture)")
    }
    return d
}

/// Foreground box of reel's default 1080x1920 layout for a picture of
/// display size w x h: fitted to width 1080; if that is taller than the
/// 1220 px safe band, fitted to height 1220 instead; centred on x = 540 and
/// y = 830.
func layoutBox(displayWidth w: Double, displayHeight h: Double) -> (x: Double, y: Double, w: Double, h: Double) {
    var bw = 1080.0, bh = 1080.0 * h / w
    if bh > 1220 { bh = 1220; bw = 1220 * w / h }
    return (540 - bw / 2, 830 - bh / 2, bw, bh)
}

/// Bounding box of the pixels of an rgb24 frame for which `isForeground(r, g, b)` holds.
func boundingBox(_ f: Frame, where isForeground: (Int, Int, Int) -> Bool) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
    precondition(f.channels == 3)
    var x0 = Int.max, y0 = Int.max, x1 = -1, y1 = -1
    f.bytes.withUnsafeBufferPointer { b in
        for y in 0..<f.height {
            var i = y * f.width * 3
            for x in 0..<f.width {
                if isForeground(Int(b[i]), Int(b[i + 1]), Int(b[i + 2])) {
                    x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y)
                }
                i += 3
            }
        }
    }
    return x1 < 0 ? nil : (x0, y0, x1, y1)
}

/// Number of pixels of an rgb24 frame for which `predicate(r, g, b)` holds.
func countPixels(_ f: Frame, where predicate: (Int, Int, Int) -> Bool) -> Int {
    precondition(f.channels == 3)
    var n = 0
    f.bytes.withUnsafeBufferPointer { b in
        var i = 0
        while i + 2 < b.count {
            if predicate(Int(b[i]), Int(b[i + 1]), Int(b[i + 2])) { n += 1 }
            i += 3
        }
    }
    return n
}

func near(_ a: [Double], _ b: [Double], _ tol: Double) -> Bool {
    zip(a, b).allSatisfy { abs($0 - $1) <= tol }
}

func fmt(_ v: [Double]) -> String { "(" + v.map { String(format: "%.0f", $0) }.joined(separator: ",") + ")" }

// MARK: - Output contract

class RenderTestCase: ReelTestCase {
    /// Checks everything reel promises about every output file.
    func assertContract(_ out: URL, _ e: Expect, file: StaticString = #filePath, line: UInt = #line) throws {
        let name = out.lastPathComponent
        let info = try MediaInfo(out)

        // Streams: exactly one H.264 video and one AAC-LC 48 kHz stereo audio.
        XCTAssertEqual(info.streams.count, 2, "\(name): expected exactly 2 streams", file: file, line: line)
        XCTAssertEqual(info.streams("video").count, 1, "\(name): video streams", file: file, line: line)
        XCTAssertEqual(info.streams("audio").count, 1, "\(name): audio streams", file: file, line: line)
        let v = try XCTUnwrap(info.video, "\(name): no video stream", file: file, line: line)
        let a = try XCTUnwrap(info.audio, "\(name): no audio stream", file: file, line: line)

        XCTAssertEqual(v.str("codec_name"), "h264", "\(name): video codec", file: file, line: line)
        XCTAssertEqual(v.str("profile"), "High", "\(name): H.264 profile", file: file, line: line)
        XCTAssertEqual(v.int("level"), 41, "\(name): H.264 level", file: file, line: line)
        XCTAssertEqual(v.str("pix_fmt"), "yuv420p", "\(name): pix_fmt", file: file, line: line)
        XCTAssertEqual(v.int("width"), e.width, "\(name): width", file: file, line: line)
        XCTAssertEqual(v.int("height"), e.height, "\(name): height", file: file, line: line)
        for key in ["color_space", "color_transfer", "color_primaries"] {
            XCTAssertEqual(v.str(key), "bt709", "\(name): \(key)", file: file, line: line)
        }
        XCTAssertEqual(v.str("color_range"), "tv", "\(name): color_range", file: file, line: line)
        if let sar = v.str("sample_aspect_ratio"), sar != "0:1" {
            XCTAssertEqual(sar, "1:1", "\(name): square pixels", file: file, line: line)
        }

        XCTAssertEqual(a.str("codec_name"), "aac", "\(name): audio codec", file: file, line: line)
        XCTAssertEqual(a.str("profile"), "LC", "\(name): AAC profile", file: file, line: line)
        XCTAssertEqual(a.int("sample_rate"), 48000, "\(name): sample rate", file: file, line: line)
        XCTAssertEqual(a.int("channels"), 2, "\(name): channels", file: file, line: line)

        // Durations: video matches the expectation, audio matches video
        // (audio/video drift would show up here first).
        let frame = 1.0 / Double(e.fps)
        let vDur = try XCTUnwrap(v.num("duration"), "\(name): video duration", file: file, line: line)
        let aDur = try XCTUnwrap(a.num("duration"), "\(name): audio duration", file: file, line: line)
        XCTAssertEqual(vDur, e.duration, accuracy: frame + 0.001,
                       "\(name): video duration vs expected", file: file, line: line)
        XCTAssertEqual(aDur, vDur, accuracy: 1.0 / 30 + 0.001,
                       "\(name): audio duration vs video duration", file: file, line: line)
        // Without edit lists nothing hides a start offset, so both streams
        // must start at 0 (e.g. B-frame delay must not push video to 0.067 s).
        XCTAssertEqual(v.num("start_time") ?? -1, 0, accuracy: 0.001, "\(name): video start_time",
                       file: file, line: line)
        XCTAssertEqual(a.num("start_time") ?? -1, 0, accuracy: 0.001, "\(name): audio start_time",
                       file: file, line: line)

        // Constant frame rate: every packet lasts exactly one frame and
        // presentation timestamps are evenly spaced.
        let (vp, tb) = try packets(out, stream: "v")
        XCTAssertFalse(vp.isEmpty, "\(name): no video packets", file: file, line: line)
        let ticks = 1.0 / (Double(e.fps) * tb)
        let durations = Set(vp.map(\.duration))
        XCTAssertEqual(durations.count, 1, "\(name): video packet durations differ: \(durations.sorted())",
                       file: file, line: line)
        if let d = durations.first {
            XCTAssertEqual(Double(d), ticks, accuracy: 1, "\(name): packet duration (ticks of \(tb))",
                           file: file, line: line)
        }
        let pts = vp.map(\.pts).sorted()
        let steps = Set(zip(pts.dropFirst(), pts).map { $0 - $1 })
        XCTAssertLessThanOrEqual(steps.count, 1, "\(name): uneven pts steps \(steps.sorted())", file: file, line: line)
        XCTAssertEqual(Double(vp.count), e.duration * Double(e.fps), accuracy: 1.0,
                       "\(name): frame count vs \(e.duration) s at \(e.fps) fps", file: file, line: line)
        XCTAssertEqual(v.str("r_frame_rate"), "\(e.fps)/1", "\(name): r_frame_rate", file: file, line: line)
        XCTAssertEqual(v.str("avg_frame_rate"), "\(e.fps)/1", "\(name): avg_frame_rate", file: file, line: line)

        // Keyframes: the first packet is one, they are at most 2 s apart, and
        // GOPs are closed (nothing decoded after a keyframe is shown before it).
        XCTAssertEqual(vp.first?.isKey, true, "\(name): first video packet is not a keyframe", file: file, line: line)
        let keyPts = vp.filter(\.isKey).map(\.pts).sorted()
        let endPts = (pts.last ?? 0) + (vp.last?.duration ?? 0)
        for (k0, k1) in zip(keyPts, keyPts.dropFirst() + [endPts]) {
            XCTAssertLessThanOrEqual(Double(k1 - k0) * tb, 2.0 + 1e-6,
                                     "\(name): keyframe gap from \(Double(k0) * tb) s", file: file, line: line)
        }
        for (i, p) in vp.enumerated() where p.isKey {
            if let early = vp[(i + 1)...].first(where: { $0.pts < p.pts }) {
                XCTFail("\(name): open GOP: packet pts \(early.pts) decoded after keyframe pts \(p.pts)",
                        file: file, line: line)
                break
            }
        }

        // MP4 layout: moov before mdat (fast start) and no edit lists.
        let data = try Data(contentsOf: out)
        let boxes = try topLevelBoxes(data)
        let types = boxes.map(\.type)
        let moov = try XCTUnwrap(boxes.first { $0.type == "moov" }, "\(name): no moov (\(types))", file: file, line: line)
        let mdatIndex = try XCTUnwrap(types.firstIndex(of: "mdat"), "\(name): no mdat (\(types))", file: file, line: line)
        XCTAssertLessThan(types.firstIndex(of: "moov")!, mdatIndex, "\(name): moov after mdat: \(types)",
                          file: file, line: line)
        let moovData = data.subdata(in: moov.offset..<(moov.offset + moov.size))
        XCTAssertFalse(moovData.contains(ascii: "elst"), "\(name): moov contains an elst (edit list)",
                       file: file, line: line)

        // The first frame shows something: either overall brightness or a
        // visible amount of bright detail (recording-16x9 is a dark page with
        // white text, whose mean luma is only ~21 even when correct).
        let gray = try decodeFrame(out, pixFmt: "gray", width: e.width, height: e.height)
        let mean = Double(gray.bytes.reduce(0) { $0 + Int($1) }) / Double(gray.bytes.count)
        let bright = Double(gray.bytes.lazy.filter { $0 > 128 }.count) / Double(gray.bytes.count)
        XCTAssertTrue(mean > 20 || bright > 0.005,
                      "\(name): first frame looks black (mean luma \(mean), \(bright * 100)% pixels > 128)",
                      file: file, line: line)

        if let silent = e.silentAudio {
            let maxDB = try maxVolume(out)
            if silent {
                XCTAssertLessThanOrEqual(maxDB, -90, "\(name): audio should be silent", file: file, line: line)
            } else {
                XCTAssertGreaterThan(maxDB, -30, "\(name): audio should be audible", file: file, line: line)
            }
        }
    }
}

// MARK: - recording-16x9.mp4

final class RecordingRenderTests: RenderTestCase {
    let fixture = "media/recording-16x9.mp4"

    func testDefaultRender() throws {
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture), silentAudio: false))
    }

    func testCropAuto() throws {
        let out = try render(fixture, ["--crop", "auto"])
        try assertContract(out, Expect(duration: try inputDuration(fixture)))
    }

    /// The fixture's content is the centre text column (x 213..427 of 640,
    /// below the 30 px chrome band). Auto crop must feature that column: the
    /// foreground is zoomed in (taller than the 1080x608 uncropped fit),
    /// centred on (540, 830), and mostly text: over 12% of it is white text
    /// (the whole page is ~5%, the column ~17%). Measured against a solid
    /// green background.
    func testCropAutoFeaturesContentColumn() throws {
        let out = try render(fixture, ["--crop", "auto", "--background", "#00FF00"])
        let f = try decodeRGB709(out, width: 1080, height: 1920)
        let isForeground: (Int, Int, Int) -> Bool = { r, g, b in g - max(r, b) < 100 }
        let box = try XCTUnwrap(boundingBox(f, where: isForeground), "no foreground found")
        let w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1
        XCTAssertGreaterThan(h, 700, "auto-cropped foreground \(w)x\(h) is not zoomed in")
        XCTAssertEqual(Double(box.x0 + box.x1 + 1) / 2, 540, accuracy: 6, "foreground not centred on x")
        XCTAssertEqual(Double(box.y0 + box.y1 + 1) / 2, 830, accuracy: 6, "foreground not centred on y = 830")
        let fg = countPixels(f, where: isForeground)
        let text = countPixels(f) { r, g, b in r > 200 && g > 200 && b > 200 }
        XCTAssertGreaterThan(Double(text) / Double(max(fg, 1)), 0.12,
                             "auto-cropped foreground \(w)x\(h) is mostly not text: crop missed the column")
    }

    func testTrim() throws {
        let out = try render(fixture, ["--trim", "1:3"])
        try assertContract(out, Expect(duration: 2.0, silentAudio: false))
    }

    func testFps25() throws {
        let out = try render(fixture, ["--fps", "25"])
        try assertContract(out, Expect(fps: 25, duration: try inputDuration(fixture)))
    }

    func testSize720x1280() throws {
        let out = try render(fixture, ["--size", "720x1280"])
        try assertContract(out, Expect(width: 720, height: 1280, duration: try inputDuration(fixture)))
    }

    /// Solid background colour, and the default layout: 16:9 fitted to width
    /// 1080 (1080x608) centred on y = 830.
    func testSolidBackground() throws {
        let out = try render(fixture, ["--background", "#203040"])
        try assertContract(out, Expect(duration: try inputDuration(fixture)))
        let f = try decodeRGB709(out, width: 1080, height: 1920)
        let target: [Double] = [0x20, 0x30, 0x40]
        for (x, y) in [(540, 100), (540, 1800), (20, 300), (1060, 1600)] {
            let c = f.average(x, y)
            XCTAssertTrue(near(c, target, 8), "background at (\(x),\(y)) is \(fmt(c)), want \(fmt(target))")
        }
        let box = try XCTUnwrap(boundingBox(f) { r, g, b in
            abs(r - 0x20) > 12 || abs(g - 0x30) > 12 || abs(b - 0x40) > 12
        }, "no foreground")
        let expected = layoutBox(displayWidth: 640, displayHeight: 360)
        XCTAssertEqual(Double(box.x1 - box.x0 + 1), expected.w, accuracy: 4, "foreground width")
        XCTAssertEqual(Double(box.y1 - box.y0 + 1), expected.h, accuracy: 4, "foreground height")
        XCTAssertEqual(Double(box.y0 + box.y1 + 1) / 2, 830, accuracy: 3, "foreground centre y")
    }

    func testProgressJSON() throws {
        let out = workDir.appendingPathComponent("progress.mp4")
        let r = try reel(["render", Paths.fixture(fixture).path, "-o", out.path, "--force", "--progress", "json"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let lines = r.stdoutString.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { !$0.isEmpty }
        XCTAssertFalse(lines.isEmpty, "no progress lines on stdout")
        var last: [String: Any]?
        var summary: [String: Any]?
        for l in lines {
            let obj = try? JSONSerialization.jsonObject(with: Data(l.utf8))
            guard let dict = obj as? [String: Any] else {
                XCTFail("stdout line is not a JSON object: \(l)")
                continue
            }
            // The progress events end with `done`; one `summary` line (what the render
            // decided and measured, read by `reel batch`) follows them.
            if dict["event"] as? String == "summary" { summary = dict } else { last = dict }
        }
        XCTAssertEqual(last?["event"] as? String, "done", "last progress line: \(lines.last ?? "")")
        XCTAssertTrue(lines.last?.contains("\"event\":\"summary\"") ?? false, "the summary line comes last")
        XCTAssertEqual(summary?["frames"] as? Int, last?["totalFrames"] as? Int)
        XCTAssertNotNil(summary?["loudness"] as? String)
    }
}

// MARK: - Other fixtures

final class FixtureRenderTests: RenderTestCase {
    /// Stored 320x180 with a display matrix (ffprobe rotation=90): upright it
    /// is 180x320 with the red block along the BOTTOM third (see
    /// Scripts/make-fixtures). Checked at 20% from the red edge and 20% from
    /// the opposite edge of the foreground box, on its centre column.
    func testPhoneRotatedIsUpright() throws {
        let fixture = "media/phone-rotated.mp4"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture)))
        let f = try decodeRGB709(out, width: 1080, height: 1920)
        let box = layoutBox(displayWidth: 180, displayHeight: 320)
        let cx = Int(box.x + box.w / 2)
        let nearRed = f.average(cx, Int(box.y + box.h * 0.8), radius: 6)
        let farFromRed = f.average(cx, Int(box.y + box.h * 0.2), radius: 6)
        XCTAssertTrue(nearRed[0] > 180 && nearRed[1] < 70 && nearRed[2] < 70,
                      "expected red near the bottom of the upright picture, got \(fmt(nearRed))")
        XCTAssertTrue(farFromRed[2] > farFromRed[0] + 30 && farFromRed[0] < 100,
                      "expected dark blue near the top of the upright picture, got \(fmt(farFromRed))")
    }

    /// Irregular input timestamps become constant 30 fps
    /// (assertContract checks equal packet durations and the frame count).
    func testVariableFrameRateBecomesConstant() throws {
        let fixture = "media/vfr.mkv"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture), silentAudio: false))
    }

    func testTenBitBecomesEightBit() throws {
        let fixture = "media/tenbit.mkv"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture)))
        let r = try decodeAll(out)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertEqual(r.stderrString, "", "decoder complained: \(r.stderrString)")
    }

    /// Full-range BT.601 input must be converted, not relabelled: decoding the
    /// output as BT.709 limited range gives back the source colours.
    /// Grey/red are the coarse check; the light-grey (range) and green
    /// (matrix) patches in the top quarter catch misread range or matrix.
    func testFullRangeBT601Colours() throws {
        let fixture = "media/fullrange-bt601.mp4"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture)))
        let f = try decodeRGB709(out, width: 1080, height: 1920)
        let box = layoutBox(displayWidth: 320, displayHeight: 240)
        func at(_ u: Double, _ v: Double) -> [Double] {
            f.average(Int(box.x + box.w * u), Int(box.y + box.h * v), radius: 6)
        }
        let grey = at(0.25, 0.5), red = at(0.75, 0.5)
        let light = at(0.25, 0.125), green = at(0.75, 0.125)
        XCTAssertTrue(near(grey, [128, 128, 128], 10), "grey half is \(fmt(grey)), want (128,128,128)")
        XCTAssertTrue(near(red, [255, 0, 0], 25), "red half is \(fmt(red)), want (255,0,0)")
        XCTAssertTrue(near(light, [220, 220, 220], 10), "light grey patch is \(fmt(light)), want (220,220,220) "
                      + "(~238 means full range was read as limited)")
        XCTAssertTrue(near(green, [0, 128, 0], 10), "green patch is \(fmt(green)), want (0,128,0) "
                      + "(G ~108 means BT.601 was read as BT.709)")
    }

    func testAnimatedGIF() throws {
        let fixture = "media/anim.gif"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture), silentAudio: true))
    }

    func testNoAudioGetsSilentTrack() throws {
        let fixture = "media/noaudio.mp4"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture), silentAudio: true))
    }

    func testMono44kBecomesStereo48k() throws {
        let fixture = "media/mono44k.mp4"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture), silentAudio: false))
    }

    func testVP9Opus() throws {
        let fixture = "media/vp9.webm"
        let out = try render(fixture)
        try assertContract(out, Expect(duration: try inputDuration(fixture), silentAudio: false))
    }

    /// Stored 480x360 with SAR 4:3, i.e. 640x360 on screen: the foreground
    /// must be 16:9 (1080x608), not 4:3 (1080x810). The fixture's light grey
    /// (RGB 200) border is found against a dark solid background.
    func testAnamorphicUsesDisplayAspect() throws {
        let fixture = "media/anamorphic.mp4"
        let out = try render(fixture, ["--background", "#203040"])
        try assertContract(out, Expect(duration: try inputDuration(fixture)))
        let f = try decodeRGB709(out, width: 1080, height: 1920)
        let box = try XCTUnwrap(boundingBox(f) { r, g, b in r + g + b > 3 * 120 }, "no foreground found")
        let w = Double(box.x1 - box.x0 + 1), h = Double(box.y1 - box.y0 + 1)
        XCTAssertEqual(w / h, 16.0 / 9.0, accuracy: 0.03, "foreground is \(Int(w))x\(Int(h))")
    }

    func testQuietPrintsNothing() throws {
        let out = workDir.appendingPathComponent("quiet.mp4")
        let r = try reel(["render", Paths.fixture("media/noaudio.mp4").path, "-o", out.path, "--quiet"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertEqual(r.stdoutString, "", "stdout with --quiet")
        XCTAssertEqual(r.stderrString, "", "stderr with --quiet")
    }
}

// MARK: - Refusals

final class BadInputTests: ReelTestCase {
    /// Runs reel and checks a clean refusal: the exit code, one `reel: ` line
    /// on stderr naming `mention`, nothing at `output`, and the output folder
    /// unchanged (no leftover `.*.reel-*` temp files).
    func assertRefused(_ arguments: [String], exitCode: Int32, mentions mention: String, output: URL,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = output.deletingLastPathComponent()
        let fm = FileManager.default
        let before = Set((try? fm.contentsOfDirectory(atPath: dir.path)) ?? [])
        let existedBefore = fm.fileExists(atPath: output.path)
        let r = try reel(arguments)
        XCTAssertEqual(r.exitCode, exitCode, r.summary, file: file, line: line)
        let stderrLines = r.stderrString.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(stderrLines.count == 2 && stderrLines[1].isEmpty,
                      "stderr must be exactly one line, got: \(r.stderrString.debugDescription)", file: file, line: line)
        XCTAssertTrue(r.stderrString.hasPrefix("reel: "), "stderr must start with `reel: `: \(r.stderrString)",
                      file: file, line: line)
        XCTAssertTrue(r.stderrString.contains(mention), "stderr must mention \(mention): \(r.stderrString)",
                      file: file, line: line)
        if !existedBefore {
            XCTAssertFalse(fm.fileExists(atPath: output.path), "output was created at \(output.path)",
                           file: file, line: line)
        }
        let after = Set((try? fm.contentsOfDirectory(atPath: dir.path)) ?? [])
        let leftovers = after.subtracting(before)
        XCTAssertTrue(leftovers.isEmpty, "files left in \(dir.path): \(leftovers.sorted())", file: file, line: line)
        XCTAssertFalse(after.contains { $0.hasPrefix(".") && $0.contains(".reel-") },
                       "temp files in \(dir.path): \(after.sorted())", file: file, line: line)
    }

    func refuseInput(_ input: URL, exitCode: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let out = workDir.appendingPathComponent("out.mp4")
        try assertRefused(["render", input.path, "-o", out.path], exitCode: exitCode, mentions: input.path,
                          output: out, file: file, line: line)
    }

    func testMissingInput() throws {
        try refuseInput(workDir.appendingPathComponent("does-not-exist.mp4"), exitCode: 66)
    }

    func testEmptyInput() throws {
        try refuseInput(Paths.fixture("bad/empty.mp4"), exitCode: 65)
    }

    func testTruncatedInput() throws {
        try refuseInput(Paths.fixture("bad/truncated.mp4"), exitCode: 65)
    }

    func testNotMedia() throws {
        try refuseInput(Paths.fixture("bad/notmedia.mp4"), exitCode: 65)
    }

    func testAudioOnlyInput() throws {
        try refuseInput(Paths.fixture("bad/audio-only.m4a"), exitCode: 65)
    }

    func testUnknownEncoder() throws {
        let out = workDir.appendingPathComponent("out.mp4")
        try assertRefused(["render", Paths.fixture("media/noaudio.mp4").path, "-o", out.path,
                           "--encoder", "nope264"], exitCode: 69, mentions: "nope264", output: out)
    }

    /// /proc refuses new files even for root (tests run as root in CI, so a
    /// chmod'ed directory would not do).
    func testUnwritableDestination() throws {
        let out = URL(fileURLWithPath: "/proc/reel-test/out.mp4")
        try assertRefused(["render", Paths.fixture("media/noaudio.mp4").path, "-o", out.path],
                          exitCode: 73, mentions: out.path, output: out)
    }

    func testExistingOutputWithoutForce() throws {
        let out = workDir.appendingPathComponent("exists.mp4")
        let original = Data("keep me\n".utf8)
        try original.write(to: out)
        try assertRefused(["render", Paths.fixture("media/noaudio.mp4").path, "-o", out.path],
                          exitCode: 73, mentions: out.path, output: out)
        XCTAssertEqual(try Data(contentsOf: out), original, "existing output was modified")
    }

    /// Writing over the input is refused even with --force, however the path is spelled.
    func testOutputEqualToInputIsRefused() throws {
        let input = workDir.appendingPathComponent("in.mp4")
        try FileManager.default.copyItem(at: Paths.fixture("media/noaudio.mp4"), to: input)
        let original = try Data(contentsOf: input)
        let aliases = [input.path,
                       workDir.path + "/./in.mp4",
                       workDir.path + "/../" + workDir.lastPathComponent + "/in.mp4"]
        for alias in aliases {
            try assertRefused(["render", input.path, "-o", alias, "--force"], exitCode: 64,
                              mentions: "reel: ", output: input)
            XCTAssertEqual(try Data(contentsOf: input), original, "input modified via -o \(alias)")
        }
    }
}

// MARK: - probe

final class ProbeTests: ReelTestCase {
    static let fixtures = ["recording-16x9.mp4", "phone-rotated.mp4", "vfr.mkv", "tenbit.mkv",
                           "fullrange-bt601.mp4", "anim.gif", "noaudio.mp4", "mono44k.mp4",
                           "vp9.webm", "anamorphic.mp4"]

    func probeText(_ fixture: String) throws -> String {
        let r = try reel(["probe", Paths.fixture("media/" + fixture).path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        return r.stdoutString
    }

    /// Every fixture: codec name and a WxH size as ffprobe sees them (stored
    /// or display size both accepted).
    func testProbeMentionsCodecAndSize() throws {
        for fixture in Self.fixtures {
            let info = try MediaInfo(Paths.fixture("media/" + fixture))
            let v = try XCTUnwrap(info.video, fixture)
            let codec = try XCTUnwrap(v.str("codec_name"))
            let w = try XCTUnwrap(v.int("width")), h = try XCTUnwrap(v.int("height"))
            var sizes = ["\(w)x\(h)", "\(h)x\(w)"]
            if let dar = v.str("display_aspect_ratio"), let r = parseRational(dar.replacingOccurrences(of: ":", with: "/")) {
                sizes.append("\(Int((Double(h) * r).rounded()))x\(h)")
            }
            let text = try probeText(fixture)
            XCTAssertTrue(text.lowercased().contains(codec), "\(fixture): probe output lacks codec \(codec):\n\(text)")
            XCTAssertTrue(sizes.contains { text.contains($0) }, "\(fixture): probe output lacks any of \(sizes):\n\(text)")
        }
    }

    func testProbeShowsRotation() throws {
        let text = try probeText("phone-rotated.mp4")
        XCTAssertTrue(text.lowercased().contains("rotation"), "no rotation in:\n\(text)")
        // The display matrix says "rotate 90 degrees counter-clockwise"
        // (ffprobe: rotation=90); 270 is the same turn counted clockwise.
        XCTAssertTrue(text.contains("90") || text.contains("270"), "no 90/-90/270 in:\n\(text)")
    }

    func testProbeDetectsVariableFrameRate() throws {
        let vfr = try probeText("vfr.mkv")
        XCTAssertTrue(vfr.lowercased().contains("variable"), "vfr.mkv not reported variable:\n\(vfr)")
        let cfr = try probeText("recording-16x9.mp4")
        XCTAssertFalse(cfr.lowercased().contains("variable"), "constant-rate fixture reported variable:\n\(cfr)")
    }

    func testProbeJSONIsValid() throws {
        for fixture in Self.fixtures {
            let r = try reel(["probe", "--json", Paths.fixture("media/" + fixture).path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: r.stdout),
                             "\(fixture): probe --json is not JSON:\n\(r.stdoutString.prefix(1000))")
            XCTAssertTrue((try? JSONSerialization.jsonObject(with: r.stdout)) is [String: Any],
                          "\(fixture): probe --json is not a JSON object")
        }
    }

    func testProbeRefusesMissingFile() throws {
        let missing = workDir.appendingPathComponent("nope.mp4").path
        let r = try reel(["probe", missing])
        XCTAssertEqual(r.exitCode, 66, r.summary)
        XCTAssertTrue(r.stderrString.hasPrefix("reel: ") && r.stderrString.contains(missing), r.stderrString)
    }
}
