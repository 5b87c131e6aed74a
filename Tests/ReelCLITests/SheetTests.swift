// `reel sheet`: contact sheet geometry, the frames picked (checked against ffmpeg's own
// decode at the same times), rotation, seeking, and bad inputs.

import Foundation
import XCTest

final class SheetTests: ReelTestCase {
    // Layout promised by `reel sheet --help`: 12 px margin, 8 px gaps.
    let margin = 12, gap = 8

    /// Runs `reel sheet` and returns the PNG's pixels (read by ffmpeg), failing unless it exits 0.
    func sheet(_ fixture: String, _ arguments: [String], name: String = "sheet") throws -> (png: Frame, result: ProcessResult) {
        let output = workDir.appendingPathComponent("\(name).png")
        let r = try reel(["sheet", Paths.fixture(fixture).path, "-o", output.path] + arguments)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        return (try readPNG(output), r)
    }

    func readPNG(_ file: URL) throws -> Frame {
        let info = try MediaInfo(file)
        guard let v = info.video, v.str("codec_name") == "png", let w = v.int("width"), let h = v.int("height") else {
            throw TestFailure("\(file.lastPathComponent) is not a PNG picture: \(info.streams)")
        }
        return try decodeFrame(file, pixFmt: "rgb24", width: w, height: h)
    }

    /// The w×h block of `image` at (x, y).
    func crop(_ image: Frame, x: Int, y: Int, width w: Int, height h: Int) -> Frame {
        var bytes: [UInt8] = []
        for row in y..<y + h { bytes += image.bytes[((row * image.width + x) * 3)..<((row * image.width + x + w) * 3)] }
        return Frame(width: w, height: h, channels: 3, bytes: bytes)
    }

    func meanDifference(_ a: Frame, _ b: Frame) -> Double {
        precondition(a.bytes.count == b.bytes.count)
        return Double(zip(a.bytes, b.bytes).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.bytes.count)
    }

    /// ffmpeg's picture at `seconds` (the first frame at or after it), scaled to a tile with
    /// the scaler flags reel uses, so the right frame matches almost exactly.
    func ffmpegTile(_ file: URL, at seconds: Double, width: Int, height: Int) throws -> Frame {
        try decodeFrame(file, pixFmt: "rgb24", filter: "scale=\(width):\(height):flags=area+accurate_rnd+full_chroma_int",
                        width: width, height: height, seek: seconds)
    }

    func tileOrigin(_ index: Int, columns: Int, tileWidth: Int, tileHeight: Int) -> (x: Int, y: Int) {
        (margin + (index % columns) * (tileWidth + gap), margin + (index / columns) * (tileHeight + gap))
    }

    func testRecordingSheetGridAndFrames() throws {
        // 640x360, landscape: 3 columns of 270x152 tiles, 12 frames at the middles of 4 s / 12.
        let (plain, _) = try sheet("media/recording-16x9.mp4", ["--labels", "off", "--title", ""], name: "plain")
        XCTAssertEqual(plain.width, 2 * margin + 3 * 270 + 2 * gap)
        XCTAssertEqual(plain.height, 2 * margin + 4 * 152 + 3 * gap)
        XCTAssertEqual(plain.pixel(margin / 2, margin / 2), [32, 32, 34], "dark grey background")
        XCTAssertEqual(plain.pixel(margin + 270 + gap / 2, margin + 50), [32, 32, 34], "gap between tiles")

        let file = Paths.fixture("media/recording-16x9.mp4")
        var tiles: [Frame] = []
        for i in 0..<12 {
            let o = tileOrigin(i, columns: 3, tileWidth: 270, tileHeight: 152)
            tiles.append(crop(plain, x: o.x, y: o.y, width: 270, height: 152))
        }
        // The page scrolls 45 px/s, so tiles 1/3 s apart all differ.
        for (a, b) in zip(tiles, tiles.dropFirst()) { XCTAssertGreaterThan(meanDifference(a, b), 1.0, "neighbouring tiles are the same picture") }
        // Each tile is the frame at the middle of its twelfth: what ffmpeg shows there, not a neighbour.
        for i in [0, 5, 11] {
            let t = 4.0 * (Double(i) + 0.5) / 12
            let expected = try ffmpegTile(file, at: t, width: 270, height: 152)
            let neighbour = try ffmpegTile(file, at: t + (i == 11 ? -1.0 : 1.0) / 30, width: 270, height: 152)
            let d = meanDifference(tiles[i], expected)
            XCTAssertLessThan(d, 0.5, "tile \(i) is not ffmpeg's frame at \(t) s")
            XCTAssertLessThan(d, meanDifference(tiles[i], neighbour), "tile \(i) is closer to a neighbouring frame than the one at \(t) s")
        }

        // Defaults: labels under each tile and a title line make it taller, not wider.
        let (labelled, r) = try sheet("media/recording-16x9.mp4", [], name: "labelled")
        XCTAssertEqual(labelled.width, plain.width)
        XCTAssertGreaterThan(labelled.height, plain.height + 4 * 12 + 16)
        XCTAssertTrue(r.stdoutString.contains("wrote"), r.summary)
        // Time labels: white text on a darker strip under each tile (here the last row's first tile).
        XCTAssertEqual(labelled.pixel(margin + 2, labelled.height - margin - 1), [20, 20, 22], "no label strip under the tiles")
        let strip = crop(labelled, x: margin, y: labelled.height - margin - 30, width: 270, height: 30)
        XCTAssertTrue(stride(from: 0, to: strip.bytes.count, by: 3).contains { strip.bytes[$0] > 200 && strip.bytes[$0 + 1] > 200 && strip.bytes[$0 + 2] > 200 },
                      "no white label text under the tile")
    }

    func testAtTimesInGivenOrder() throws {
        let (png, _) = try sheet("media/recording-16x9.mp4", ["--at", "3,0.5,1:01.5", "--labels", "off", "--title", ""])
        XCTAssertEqual(png.width, 2 * margin + 3 * 270 + 2 * gap)
        XCTAssertEqual(png.height, 2 * margin + 152)
        let file = Paths.fixture("media/recording-16x9.mp4")
        let tiles = (0..<3).map { crop(png, x: margin + $0 * (270 + gap), y: margin, width: 270, height: 152) }
        XCTAssertLessThan(meanDifference(tiles[0], try ffmpegTile(file, at: 3, width: 270, height: 152)), 0.5, "first tile is not 3 s")
        XCTAssertLessThan(meanDifference(tiles[1], try ffmpegTile(file, at: 0.5, width: 270, height: 152)), 0.5, "second tile is not 0.5 s")
        XCTAssertGreaterThan(meanDifference(tiles[0], tiles[1]), 1.0)
    }

    func testTimePastTheEndShowsTheLastFrameWithAWarning() throws {
        let (png, r) = try sheet("media/recording-16x9.mp4", ["--at", "1,61.5", "--labels", "off", "--title", ""])
        let warnings = r.stderrString.split(separator: "\n")
        XCTAssertEqual(warnings.count, 1, r.summary)
        XCTAssertTrue(warnings.first?.hasPrefix("reel: warning: ") ?? false, r.summary)
        XCTAssertTrue(r.stderrString.contains("61.5 s is past the last frame (00:03.97)"), r.summary)
        let last = crop(png, x: margin + 270 + gap, y: margin, width: 270, height: 152)
        let expected = try ffmpegTile(Paths.fixture("media/recording-16x9.mp4"), at: 119.0 / 30, width: 270, height: 152)
        XCTAssertLessThan(meanDifference(last, expected), 0.5, "the clamped tile is not the last frame")
    }

    func testRotatedPhoneClipGivesPortraitTiles() throws {
        // Stored 320x180 with a 90° display matrix: upright 180x320, red in the bottom third.
        let (png, _) = try sheet("media/phone-rotated.mp4", ["--count", "4", "--labels", "off", "--title", ""])
        XCTAssertEqual(png.width, 2 * margin + 4 * 270 + 3 * gap, "portrait videos default to 4 columns")
        XCTAssertEqual(png.height, 2 * margin + 480, "tiles are 270x480, portrait")
        for i in 0..<4 {
            let x = margin + i * (270 + gap) + 135
            let top = png.average(x, margin + 100), bottom = png.average(x, margin + 440)
            XCTAssertTrue(top[2] > 60 && top[0] < 60, "tile \(i) top is not blue: \(top)")
            XCTAssertTrue(bottom[0] > 200 && bottom[2] < 60, "tile \(i) bottom is not red: \(bottom)")
        }
    }

    func testSeekingDecodesOnlyNearTheMoment() throws {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        // 10 s with a keyframe every second and B-frames.
        let clip = workDir.appendingPathComponent("gop.mp4")
        let made = try runProcess(ffmpeg, ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30:duration=10",
                                           "-c:v", "libx264", "-preset", "veryfast", "-g", "30", "-bf", "2", "-pix_fmt", "yuv420p", clip.path])
        XCTAssertEqual(made.exitCode, 0, made.summary)
        let output = workDir.appendingPathComponent("gop.png")
        let r = try reel(["sheet", clip.path, "-o", output.path, "--at", "9.5", "--labels", "off", "--title", ""])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        guard let decoded = r.stdoutString.split(separator: " ").firstIndex(of: "decoded").map({ Int(r.stdoutString.split(separator: " ")[$0 + 1]) ?? -1 }) else {
            return XCTFail("no decoded frame count in: \(r.stdoutString)")
        }
        XCTAssertGreaterThan(decoded, 0)
        XCTAssertLessThanOrEqual(decoded, 30, "decoded \(decoded) frames for one moment; the seek did not work")
        let png = try readPNG(output)
        // 320x240 at 270 wide: 202.5 rounds to 203.
        XCTAssertEqual(png.height, 2 * margin + 203)
        let tile = crop(png, x: margin, y: margin, width: 270, height: 203)
        let d = meanDifference(tile, try ffmpegTile(clip, at: 9.5, width: 270, height: 203))
        XCTAssertLessThan(d, 0.5, "the tile is not the frame at 9.5 s")
        XCTAssertLessThan(d, meanDifference(tile, try ffmpegTile(clip, at: 9.5 - 1.0 / 30, width: 270, height: 203)), "the tile is the frame before 9.5 s")
    }

    func testBadInputsFailWithOneLineAndNoFile() throws {
        let recording = Paths.fixture("media/recording-16x9.mp4").path
        let cases: [(args: [String], code: Int32, mentions: String)] = [
            ([workDir.appendingPathComponent("missing.mp4").path], 66, "missing.mp4"),
            ([Paths.fixture("bad/empty.mp4").path], 65, "empty.mp4"),
            ([Paths.fixture("bad/notmedia.mp4").path], 65, "notmedia.mp4"),
            ([Paths.fixture("bad/truncated.mp4").path], 65, "truncated.mp4"),
            ([Paths.fixture("bad/audio-only.m4a").path], 65, "no video stream"),
            ([recording, "--at", "1,x,3"], 64, "--at"),
            ([recording, "--at", ""], 64, "--at"),
            ([recording, "--at=-1"], 64, "--at"),
            ([recording, "--at", "1:75"], 64, "--at"),
            ([recording, "--count", "0"], 64, "--count"),
            ([recording, "--width", "5"], 64, "--width"),
            ([recording, "--columns", "0"], 64, "--columns"),
            ([recording, "--labels", "maybe"], 64, "--labels"),
        ]
        for c in cases {
            let output = workDir.appendingPathComponent("bad.png")
            let r = try reel(["sheet"] + c.args + ["-o", output.path])
            XCTAssertEqual(r.exitCode, c.code, "\(c.args): \(r.summary)")
            let lines = r.stderrString.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "\(c.args): \(r.summary)")
            XCTAssertTrue(lines.first?.hasPrefix("reel: ") ?? false, r.summary)
            XCTAssertTrue(r.stderrString.contains(c.mentions), "\(c.args): message does not name \(c.mentions): \(r.summary)")
            let left = try FileManager.default.contentsOfDirectory(atPath: workDir.path)
            XCTAssertEqual(left, [], "\(c.args) left files behind: \(left)")
        }

        // An existing file is kept without --force.
        let existing = workDir.appendingPathComponent("kept.png")
        try Data("old".utf8).write(to: existing)
        let r = try reel(["sheet", recording, "-o", existing.path])
        XCTAssertEqual(r.exitCode, 73, r.summary)
        XCTAssertEqual(try Data(contentsOf: existing), Data("old".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: workDir.path), ["kept.png"])
    }
}
