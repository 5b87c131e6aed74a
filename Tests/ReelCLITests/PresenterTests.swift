import XCTest

/// The presenter layer, checked from the outside with ffmpeg: keyed colour gone, soft alpha
/// edges, the sticker on the presenter, shorter/longer presenters, and the voice's sync.
final class PresenterTests: ReelTestCase {
    /// Onsets (seconds) of loud sounds in a file's audio, decoded by ffmpeg: the claps.
    func clapTimes(_ file: URL, threshold: Int = 3000) throws -> [Double] {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let a = try runProcess(ffmpeg, ["-v", "error", "-i", file.path, "-map", "0:a", "-ac", "1", "-ar", "48000", "-f", "s16le", "-"])
        var onsets: [Double] = []
        var lastLoud = -1_000_000
        a.stdout.withUnsafeBytes { raw in
            let s = raw.bindMemory(to: Int16.self)
            for i in 0..<s.count where abs(Int(s[i])) > threshold {
                if i - lastLoud > 4800 { onsets.append(Double(i) / 48000) }
                lastLoud = i
            }
        }
        return onsets
    }

    func duration(_ file: URL) throws -> Double {
        let info = try ffprobeJSON(file, ["-show_entries", "format=duration"])
        return Double((info["format"] as? [String: Any])?["duration"] as? String ?? "") ?? -1
    }

    /// `--crop auto` is cut to the band the screen panel really gets: in `split` that band is
    /// wide (1080 x ~600), so the column is shown at the full canvas width, not shrunk to half
    /// of it as a crop made for the whole safe band (1080 x 1220) would be.
    func testAutoCropFitsTheSplitScreenBand() throws {
        func region(_ arguments: [String]) throws -> (width: Double, height: Double) {
            let out = workDir.appendingPathComponent("crop.mp4")
            let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path, "--force",
                              "--crop", "auto", "--trim", ":0.5"] + arguments)
            XCTAssertEqual(r.exitCode, 0, r.summary)
            let text = r.stdoutString + r.stderrString
            guard let m = text.range(of: #"featured region (\d+)x(\d+)"#, options: .regularExpression) else {
                throw TestFailure("no featured region in: \(text)")
            }
            let size = text[m].split(separator: " ").last!.split(separator: "x").compactMap { Double($0) }
            return (size[0], size[1])
        }
        let alone = try region([])
        let split = try region(["--presenter", Paths.fixture("media/presenter-talk.mp4").path, "--layout", "split"])
        XCTAssertEqual(split.width, alone.width, "the same column")
        XCTAssertLessThan(alone.width / alone.height, 1.2, "alone, the column may be as tall as the safe band")
        XCTAssertGreaterThan(split.width / split.height, 1.6, "in split, cut to the wide screen band: \(split)")
    }

    func testGreenScreenIsKeyedOut() throws {
        let out = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-green.mp4").path,
                                                          "--key", "green", "--layout", "split"])
        let f = try decodeRGB709(out, width: 1080, height: 1920, seek: 1.0)
        // No pixel anywhere is close to the key colour (0,177,64) any more.
        var greenish = 0, skin = 0
        for y in stride(from: 0, to: 1920, by: 2) {
            for x in stride(from: 0, to: 1080, by: 2) {
                let (r, g, b) = (f.value(x, y, 0), f.value(x, y, 1), f.value(x, y, 2))
                if g > 140 && r < 60 && b < 110 { greenish += 1 }
                if r > 200 && g > 120 && g < 180 && b < 110 { skin += 1 }
            }
        }
        XCTAssertEqual(greenish, 0, "key-coloured pixels left: \(greenish)")
        XCTAssertGreaterThan(skin, 1000, "the presenter's orange head is missing")
    }

    func testAlphaPresenterHasSoftEdgesAndTheStickerSitsOnIt() throws {
        let presenter = Paths.fixture("media/presenter-alpha.webm").path
        let plain = try render("media/recording-16x9.mp4", ["--presenter", presenter, "--background", "#000000", "--trim", ":2"], name: "plain")
        let withSticker = try render("media/recording-16x9.mp4", ["--presenter", presenter, "--background", "#000000", "--trim", ":2",
                                                                  "--sticker", "text=AI,layer=presenter,x=0.5,y=0.3,size=0.2,color=#ffffff"],
                                     name: "sticker")
        let a = try decodeRGB709(plain, width: 1080, height: 1920, seek: 1.0)
        let b = try decodeRGB709(withSticker, width: 1080, height: 1920, seek: 1.0)
        // pip with a cut-out: the 240x320 clip is fitted into the 400x540 box at x 60, bottom 1530.
        let box = (x: 60, y: 990, w: 400, h: 540)
        // Along the row through the head's centre, the edge goes orange → black through
        // intermediate values (anti-aliased alpha), not in one step.
        let row = box.y + 540 - 533 + Int(0.35 * 533)
        var intermediate = 0
        for x in box.x..<(box.x + box.w) {
            let r = a.pixel(x, row)[0]
            if r > 40 && r < 200 { intermediate += 1 }
        }
        XCTAssertGreaterThan(intermediate, 1, "no soft alpha edge on the head's outline")
        XCTAssertGreaterThan(a.pixel(box.x + 200, row)[0], 200, "the head's middle is orange")
        XCTAssertLessThan(a.pixel(box.x + 10, row)[0], 30, "transparent around the figure")
        // The sticker changes pixels only inside the presenter's box.
        var changed: (minX: Int, minY: Int, maxX: Int, maxY: Int)? = nil
        for y in 0..<1920 {
            for x in 0..<1080 where a.difference(from: b, x, y) > 90 {
                changed = (min(changed?.minX ?? x, x), min(changed?.minY ?? y, y), max(changed?.maxX ?? x, x), max(changed?.maxY ?? y, y))
            }
        }
        guard let c = changed else { return XCTFail("the sticker drew nothing") }
        XCTAssertGreaterThanOrEqual(c.minX, box.x); XCTAssertLessThan(c.maxX, box.x + box.w)
        XCTAssertGreaterThanOrEqual(c.minY, box.y); XCTAssertLessThan(c.maxY, box.y + box.h)
        // Width ≈ 0.2 of the presenter's scaled width (400 px).
        XCTAssertEqual(Double(c.maxX - c.minX), 80, accuracy: 16)
    }

    func testCircleMaskRoundsTheTalkingHead() throws {
        let out = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-talk.mp4").path,
                                                          "--mask", "circle", "--layout", "pip", "--background", "#000000", "--trim", ":1"])
        let f = try decodeRGB709(out, width: 1080, height: 1920, seek: 0.5)
        // pip, rectangular clip: a 360x360 box at x 60, bottom 1420: corners dark, centre bright.
        let (x0, y0) = (60, 1420 - 360)
        let corner = f.average(x0 + 8, y0 + 8, radius: 3).reduce(0, +)
        let centre = f.average(x0 + 180, y0 + 180, radius: 3).reduce(0, +)
        XCTAssertLessThan(corner, 60, "the circle's corner should show the background")
        XCTAssertGreaterThan(centre, 150)
    }

    /// `track=on`: a sticker on a textured patch that slides ±12 px across the presenter's
    /// picture (sine, 1.2 s period) moves with it; without tracking it stays where it was put.
    func testTrackedStickerFollowsWhatItSitsOn() throws {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let texture = workDir.appendingPathComponent("texture.png")
        let presenter = workDir.appendingPathComponent("sliding.mp4")
        for args in [["-f", "lavfi", "-i", "mandelbrot=s=160x120:maxiter=60", "-frames:v", "1", "-vf", "format=gray", texture.path],
                     ["-f", "lavfi", "-i", "color=black:s=320x320:r=30:d=2", "-loop", "1", "-i", texture.path,
                      "-filter_complex", "[0][1]overlay=x='80+12*sin(2*PI*t/1.2)':y=100:shortest=1,format=yuv420p",
                      "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", presenter.path]] {
            let r = try runProcess(ffmpeg, ["-nostdin", "-v", "error", "-y"] + args)
            XCTAssertEqual(r.exitCode, 0, r.summary)
        }
        func render(track: Bool) throws -> URL {
            try self.render("media/recording-16x9.mp4", [
                "--presenter", presenter.path, "--presenter-scale", "0.5", "--presenter-anchor", "center",
                "--background", "#000000", "--trim", ":2",
                "--sticker", "text=AI,layer=presenter,x=0.5,y=0.5,size=0.15,color=#ff0000,track=\(track ? "on" : "off")"],
                name: track ? "tracked" : "fixed")
        }
        func stickerX(_ out: URL, at t: Double) throws -> Double {
            let f = try decodeRGB709(out, width: 1080, height: 1920, seek: t)
            // The presenter's box: 540x540 in the middle of the canvas; the sticker is the red in it.
            var sum = 0.0, n = 0.0
            for y in 690..<1230 { for x in 270..<810 {
                if f.value(x, y, 0) > 170 && f.value(x, y, 1) < 90 && f.value(x, y, 2) < 90 { sum += Double(x); n += 1 }
            } }
            guard n > 50 else { throw TestFailure("no sticker found at \(t) s (\(n) red pixels)") }
            return sum / n
        }
        // The patch is at +12 px at 0.3 s and -12 px at 0.9 s (frames 9 and 27; even x, so 4:2:0
        // does not round them): 24 px x 540/320 = 40.5 px apart.
        let tracked = try render(track: true), still = try render(track: false)
        let moved = try stickerX(tracked, at: 0.3) - stickerX(tracked, at: 0.9)
        XCTAssertEqual(moved, 40.5, accuracy: 3, "the tracked sticker should move with the patch")
        let fixed = try stickerX(still, at: 0.3) - stickerX(still, at: 0.9)
        XCTAssertEqual(fixed, 0, accuracy: 3, "an untracked sticker stays in the box (edges move a pixel with the encoding)")
        print("PresenterTests: tracked sticker moved \(moved) px, untracked \(fixed) px")
    }

    func testStillImagePresenter() throws {
        let out = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-still.png").path, "--trim", ":1"])
        let f = try decodeRGB709(out, width: 1080, height: 1920, seek: 0.5)
        var orange = 0
        for y in stride(from: 900, to: 1600, by: 2) { for x in stride(from: 0, to: 600, by: 2) {
            let p = f.pixel(x, y); if p[0] > 200 && p[1] > 120 && p[1] < 180 && p[2] < 110 { orange += 1 }
        } }
        XCTAssertGreaterThan(orange, 1000, "the still presenter's head is missing")
    }

    /// presenter-short: 1 s, red then blue (split layout, cover: the box is one colour).
    func presenterColour(_ fit: String, at t: Double) throws -> [Int] {
        let out = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-short.mp4").path,
                                                          "--presenter-fit", fit, "--layout", "split"], name: fit)
        return try decodeRGB709(out, width: 1080, height: 1920, seek: t).pixel(540, 1300)
    }

    func testShorterPresenterLoopsHoldsOrCuts() throws {
        let loop = try presenterColour("loop", at: 1.25)     // 1.25 s → 0.25 s of the loop: red
        XCTAssertGreaterThan(loop[0], 180); XCTAssertLessThan(loop[2], 80)
        let hold = try presenterColour("hold", at: 2.5)      // held last frame: blue
        XCTAssertGreaterThan(hold[2], 180); XCTAssertLessThan(hold[0], 80)
        let cut = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-short.mp4").path,
                                                          "--presenter-fit", "cut"], name: "cut")
        XCTAssertEqual(try duration(cut), 1.0, accuracy: 1.0 / 30 + 0.001, "cut ends the video with the presenter")
    }

    func testLongerPresenterIsTrimmedToTheVideo() throws {
        let out = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-talk.mp4").path, "--trim", ":2"])
        XCTAssertEqual(try duration(out), 2.0, accuracy: 1.0 / 30 + 0.001)
    }

    func testPresenterVoiceStaysInSync() throws {
        // Opus in WebM, clap at 1.00 s; AAC in MP4, clap at 1.50 s; and with a start offset.
        // Only the sound is checked: the picture is rendered small.
        let small = ["--size", "360x640"]
        let alpha = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-alpha.webm").path] + small, name: "alpha")
        XCTAssertEqual(try clapTimes(alpha).first ?? -1, 1.0, accuracy: 1.0 / 30)
        let green = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-green.mp4").path,
                                                            "--key", "green"] + small, name: "green")
        XCTAssertEqual(try clapTimes(green).first ?? -1, 1.5, accuracy: 1.0 / 30)
        let late = try render("media/recording-16x9.mp4", ["--presenter", Paths.fixture("media/presenter-alpha.webm").path,
                                                           "--presenter-start", "0.5"] + small, name: "late")
        XCTAssertEqual(try clapTimes(late).first ?? -1, 1.5, accuracy: 1.0 / 30)
        // The recording's own 440 Hz tone is off when the presenter speaks: only the clap is loud.
        XCTAssertEqual(try clapTimes(alpha).count, 1)
    }

    func testBadPresenterInputs() throws {
        for (args, needle, code) in [
            (["--presenter", "missing.webm"], "missing.webm: no such file", Int32(66)),
            (["--presenter", Paths.fixture("bad/notmedia.mp4").path], "notmedia.mp4", Int32(65)),
            (["--presenter", Paths.fixture("bad/audio-only.m4a").path], "no video stream", Int32(65)),
            (["--key", "green"], "need --presenter", Int32(64)),
            (["--presenter", Paths.fixture("media/presenter-talk.mp4").path, "--mask", "star"], "--mask star", Int32(64)),
            (["--presenter", Paths.fixture("media/presenter-talk.mp4").path, "--sticker", "text=AI,size=big"], "size=big", Int32(64)),
            (["--sticker", "text=AI"], "needs --presenter", Int32(64)),
        ] {
            let out = workDir.appendingPathComponent("bad.mp4")
            let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path] + args)
            XCTAssertEqual(r.exitCode, code, "\(args): \(r.summary)")
            XCTAssertTrue(r.stderrString.contains(needle), "\(args): \(r.stderrString)")
            XCTAssertEqual(r.stderrString.split(separator: "\n").count, 1, r.stderrString)
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        }
    }
}
