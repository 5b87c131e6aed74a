import XCTest

/// Files made by other people's phones, browsers and encoders (issue 15). Each fixture is
/// made here, in the test's temp folder, with the ffmpeg CLI, and each result is checked
/// with ffprobe/ffmpeg, never with reel.
final class RealWorldFileTests: ReelTestCase {
    /// Runs the ffmpeg CLI quietly; throws with its stderr when it fails.
    @discardableResult
    func ffmpeg(_ arguments: [String]) throws -> ProcessResult {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let r = try runProcess(ffmpeg, ["-v", "error", "-y"] + arguments, currentDirectory: workDir)
        guard r.exitCode == 0 else { throw TestFailure("fixture: \(r.summary)") }
        return r
    }

    func file(_ name: String) -> URL { workDir.appendingPathComponent(name) }

    /// A refusal: the exit code, one `reel: ` line naming `mention`, and nothing new in the
    /// work folder (no output, no temp file).
    func assertRefusal(_ arguments: [String], exit code: Int32, mentions mention: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: workDir.path))
        let r = try reel(arguments)
        XCTAssertEqual(r.exitCode, code, r.summary, file: file, line: line)
        let lines = r.stderrString.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "one line on stderr: \(r.stderrString.debugDescription)", file: file, line: line)
        XCTAssertTrue(r.stderrString.hasPrefix("reel: ") && r.stderrString.contains(mention),
                      "`reel: ` and \(mention) in: \(r.stderrString)", file: file, line: line)
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: workDir.path))
        XCTAssertEqual(after.subtracting(before), [], "left behind", file: file, line: line)
    }

    // MARK: - 9, 11: encoders

    /// A hardware encoder name on a machine without that hardware, or a preset x264 does not
    /// know: the encoder cannot open. Exit 69 with the cause, no crash (the context was freed
    /// twice: exit 139), no zero-byte temp file.
    func testEncoderThatCannotOpenIsUnavailable() throws {
        let input = Paths.fixture("media/noaudio.mp4").path
        let out = file("out.mp4").path
        for encoder in ["h264_nvenc", "h264_vaapi"] {
            try assertRefusal(["render", input, "-o", out, "--trim", ":0.3", "--encoder", encoder], exit: 69, mentions: encoder)
        }
        try assertRefusal(["render", input, "-o", out, "--trim", ":0.3", "--preset", "bogus"], exit: 69, mentions: "bogus")
    }

    /// x264 writes the lowest profile its features need; ultrafast and superfast used to come
    /// out Constrained Baseline / Main. The output contract is High for every preset.
    func testEveryPresetWritesHighProfile() throws {
        for preset in ["ultrafast", "superfast"] {
            let out = try render("media/noaudio.mp4", ["--trim", ":0.3", "--preset", preset, "--size", "360x640"], name: preset)
            XCTAssertEqual(try MediaInfo(out).video?.str("profile"), "High", "--preset \(preset)")
        }
    }

    // MARK: - 1: no declared duration

    /// Frames of the first video stream, counted by ffprobe decoding them.
    func frameCount(_ url: URL) throws -> Int {
        let j = try ffprobeJSON(url, ["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"])
        return (j["streams"] as? [[String: Any]])?.first.flatMap { $0.int("nb_read_frames") } ?? -1
    }

    /// A browser's MediaRecorder WebM (piped: no duration, no cues), live-muxed Matroska and a
    /// raw Annex-B H.264 stream (no timestamps either) declare no duration. ffprobe says N/A;
    /// reel finds it by reading the packets, says so in `probe`, and renders every frame,
    /// trimmed or not.
    func testFilesWithoutDeclaredDurationRender() throws {
        let src = ["-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=2"]
        let audio = ["-f", "lavfi", "-i", "sine=d=2"]
        let (ffprobe, _) = try Tools.requireFFmpeg()
        let browser = file("browser.webm")
        let r = try ffmpeg(src + audio + ["-c:v", "libvpx", "-b:v", "400k", "-c:a", "libopus", "-f", "webm", "pipe:1"])
        try r.stdout.write(to: browser)
        let live = file("live.mkv"), raw = file("annexb.h264")
        try ffmpeg(src + ["-c:v", "libx264", "-live", "1", live.path])
        try ffmpeg(src + ["-c:v", "libx264", "-bsf:v", "h264_mp4toannexb", "-f", "h264", raw.path])
        for input in [browser, live, raw] {
            let declared = try runProcess(ffprobe, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", input.path])
            XCTAssertEqual(declared.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines), "N/A", "fixture \(input.lastPathComponent)")
            XCTAssertEqual(try frameCount(input), 60)
            let probe = try reel(["probe", input.path])
            XCTAssertEqual(probe.exitCode, 0, probe.summary)
            XCTAssertTrue(probe.stdoutString.contains("duration 2.0") && probe.stdoutString.contains("found by reading the packets"),
                          probe.stdoutString)
            let out = file("out-\(input.lastPathComponent).mp4")
            let whole = try reel(["render", input.path, "-o", out.path, "--size", "360x640"])
            XCTAssertEqual(whole.exitCode, 0, whole.summary)
            XCTAssertEqual(try frameCount(out), 60, input.lastPathComponent)
            let trimmed = try reel(["render", input.path, "-o", out.path, "--force", "--trim", "0.5:1.5", "--size", "360x640"])
            XCTAssertEqual(trimmed.exitCode, 0, trimmed.summary)
            XCTAssertEqual(try frameCount(out), 30, "\(input.lastPathComponent) --trim 0.5:1.5")
        }
    }

    // MARK: - 2: orientations, mirrored or not

    /// An MP4 whose track header carries the display matrix `[a b 0; c d 0; 0 0 1]` (a, b, c, d
    /// in {-1, 0, 1}), as phones and editors write it. ffmpeg 5.1's CLI has no
    /// `-display_rotation`/`-display_hflip`, so the `tkhd` matrix of an ffmpeg-made file is
    /// patched. The picture: 160x96, a red block top-left, a green block top-right.
    func orientedFixture(_ m: (Int32, Int32, Int32, Int32), name: String) throws -> URL {
        let url = file(name)
        try ffmpeg(["-f", "lavfi", "-i", "color=black:s=160x96:r=10:d=0.3",
                    "-vf", "drawbox=x=0:y=0:w=48:h=32:color=red:t=fill,drawbox=x=112:y=0:w=48:h=32:color=lime:t=fill",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", url.path])
        var data = try Data(contentsOf: url)
        guard let r = data.range(of: Data("tkhd".utf8)) else { throw TestFailure("no tkhd in \(name)") }
        let box = r.lowerBound - 4
        let matrix = box + (data[r.upperBound] == 1 ? 60 : 48)
        let fixed: Int32 = 1 << 16
        for (i, v) in [m.0, m.1, 0, m.2, m.3, 0, 0, 0, 1 << 14].enumerated() {
            let value = UInt32(bitPattern: i == 8 ? v << 16 : v * fixed)
            for k in 0..<4 { data[matrix + 4 * i + k] = UInt8((value >> (24 - 8 * k)) & 0xFF) }
        }
        try data.write(to: url)
        return url
    }

    /// Which colour (r, g or k) sits near each corner of a picture: TL, TR, BL, BR.
    func corners(_ f: Frame, box: (x: Double, y: Double, w: Double, h: Double)) -> String {
        [(0.12, 0.12), (0.88, 0.12), (0.12, 0.88), (0.88, 0.88)].map { (u, v) -> String in
            let p = f.average(Int(box.x + u * box.w), Int(box.y + v * box.h), radius: 2)
            return p[0] > 150 && p[1] < 90 ? "r" : p[1] > 150 && p[0] < 90 ? "g" : p.max()! < 60 ? "k" : "?"
        }.joined()
    }

    /// All eight display matrices (4 rotations × mirrored or not): reel's render and
    /// `reel hash` show the picture the way ffmpeg's autorotate does.
    func testEveryOrientationMatchesFFmpeg() throws {
        let (_, ffmpegTool) = try Tools.requireFFmpeg()
        let matrices: [(Int32, Int32, Int32, Int32)] = [(1, 0, 0, 1), (-1, 0, 0, 1), (1, 0, 0, -1), (-1, 0, 0, -1),
                                                          (0, 1, 1, 0), (0, -1, 1, 0), (0, 1, -1, 0), (0, -1, -1, 0)]
        var seen = Set<String>()
        for (n, m) in matrices.enumerated() {
            let input = try orientedFixture(m, name: "o\(n).mp4")
            let (w, h) = m.0 == 0 ? (96, 160) : (160, 96)   // a quarter turn swaps the sides
            let upright = try decodeFrame(input, pixFmt: "rgb24", width: w, height: h)   // ffmpeg autorotates
            let expected = corners(upright, box: (0, 0, Double(w), Double(h)))
            seen.insert(expected)
            let out = file("o\(n)-out.mp4")
            let r = try reel(["render", input.path, "-o", out.path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            let canvas = try decodeRGB709(out, width: 1080, height: 1920)
            XCTAssertEqual(corners(canvas, box: layoutBox(displayWidth: Double(w), displayHeight: Double(h))), expected,
                           "matrix \(m): reel's render vs ffmpeg's upright picture")
            let reference = try runProcess(ffmpegTool, ["-v", "error", "-flags", "+bitexact", "-i", input.path,
                                                        "-map", "0:v", "-f", "framemd5", "-"])
            let hashes = try reel(["hash", input.path])
            func md5s(_ text: String) -> [Substring] {
                text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { $0.split(separator: ",").last }
            }
            XCTAssertEqual(md5s(hashes.stdoutString), md5s(reference.stdoutString), "matrix \(m): reel hash vs ffmpeg framemd5")
            XCTAssertFalse(md5s(reference.stdoutString).isEmpty)
        }
        XCTAssertEqual(seen.count, 8, "eight different upright pictures: \(seen.sorted())")
    }

    // MARK: - 5: tiny pictures

    /// 1x1 … 4x4 pictures (and 3x1, 1x3) decode in libav, so they render: a red picture
    /// fills the panel red (it failed with exit 70 in the filter graph: a crop of 0 pixels).
    func testTinyPicturesRender() throws {
        for (w, h) in [(1, 1), (2, 2), (3, 3), (4, 4), (3, 1), (1, 3)] {
            let input = file("tiny\(w)x\(h).mkv")
            try ffmpeg(["-f", "lavfi", "-i", "color=red:s=16x16:r=10:d=0.3", "-vf", "scale=\(w):\(h),setsar=1", "-c:v", "png", input.path])
            XCTAssertEqual(try MediaInfo(input).video?.int("width"), w)
            let out = file("tiny\(w)x\(h).mp4")
            let r = try reel(["render", input.path, "-o", out.path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            guard r.exitCode == 0 else { continue }
            let p = try decodeRGB709(out, width: 1080, height: 1920).average(540, 830, radius: 3)
            XCTAssertTrue(p[0] > 200 && p[1] < 60 && p[2] < 60, "\(w)x\(h): panel centre \(fmt(p))")
            let hash = try reel(["hash", input.path])
            XCTAssertEqual(hash.exitCode, 0, hash.summary)
        }
    }

    // MARK: - 3, 4: VP9 and VP8 with alpha, made with other settings

    /// VP9 and VP8 alpha WebMs encoded with settings unlike the fixture script's (realtime
    /// speed, error resilience, no lag, a 1000-frame GOP, 4 threads and tiles, an odd size):
    /// `reel probe` says alpha (ffprobe: yuv420p + alpha_mode=1), and the presenter's
    /// opaque picture shows where ffmpeg's libvpx decode has it, with the background
    /// through the transparent part.
    func testAlphaWebMsFromOtherSettings() throws {
        let variants: [(String, String, [String])] = [
            ("vp9-rt.webm", "160x120", ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0", "-error-resilient", "1"]),
            ("vp9-gop.webm", "161x121", ["-c:v", "libvpx-vp9", "-g", "1000", "-threads", "4", "-tile-columns", "2", "-row-mt", "1", "-frame-parallel", "1"]),
            ("vp8-rt.webm", "160x120", ["-c:v", "libvpx", "-auto-alt-ref", "0", "-deadline", "realtime", "-cpu-used", "16", "-error-resilient", "1"]),
            ("vp8-gop.webm", "161x121", ["-c:v", "libvpx", "-auto-alt-ref", "0", "-g", "1000", "-threads", "4", "-b:v", "80k"]),
        ]
        for (name, size, settings) in variants {
            let input = file(name)
            // Opaque white on the left half, transparent on the right.
            try ffmpeg(["-f", "lavfi", "-i", "color=white:s=\(size):r=30:d=2,format=rgba,geq=r=255:g=255:b=255:a='if(lt(X,W/2),255,0)'",
                        "-pix_fmt", "yuva420p"] + settings + [input.path])
            let tags = try ffprobeJSON(input, ["-show_entries", "stream=pix_fmt:stream_tags=alpha_mode"])
            let stream = (tags["streams"] as? [[String: Any]])?.first
            XCTAssertEqual((stream?["tags"] as? [String: Any])?["alpha_mode"] as? String, "1", name)
            let probe = try reel(["probe", input.path])
            XCTAssertTrue(probe.stdoutString.contains("alpha"), "\(name): \(probe.stdoutString)")
            let out = file("\(name).mp4")
            let r = try reel(["render", "--background", "#000000", Paths.fixture("media/noaudio.mp4").path, "-o", out.path,
                              "--presenter", input.path, "--layout", "pip", "--presenter-scale", "0.5", "--presenter-anchor", "center",
                              "--trim", ":1.5", "--size", "360x640"])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            guard r.exitCode == 0 else { continue }
            for t in [0.1, 1.2] {
                // The box is centred, 180 wide: its left half white; the right half shows what is below.
                let f = try decodeRGB709(out, width: 360, height: 640, seek: t)
                let opaque = f.average(180 - 45, 320, radius: 3), clear = f.average(180 + 45, 320, radius: 3)
                XCTAssertTrue(opaque.allSatisfy { $0 > 220 }, "\(name) at \(t): opaque half \(fmt(opaque))")
                XCTAssertFalse(clear.allSatisfy { $0 > 220 }, "\(name) at \(t): transparent half \(fmt(clear))")
            }
        }
    }

    /// Rewrites a WebM as other muxers write it (Scripts/webm-rewrite: EBML in, EBML out).
    func rewriteWebM(_ input: URL, _ output: URL, _ options: [String]) throws {
        guard let python = Paths.which("python3") else { throw TestFailure("python3 not on PATH") }
        let script = Paths.repoRoot.appendingPathComponent("Scripts/webm-rewrite")
        let r = try runProcess(python, [script.path, input.path, output.path] + options)
        guard r.exitCode == 0 else { throw TestFailure("webm-rewrite: \(r.summary)") }
    }

    /// The frames ffmpeg's libvpx decoder gets from a file (it carries on after errors):
    /// (pts in seconds, grey level of the opaque half).
    func libvpxFrames(_ input: URL, decoder: String) throws -> [(time: Double, grey: Double)] {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let r = try runProcess(ffmpeg, ["-nostdin", "-v", "info", "-max_error_rate", "1", "-c:v", decoder, "-i", input.path, "-vf", "crop=8:8:36:56,showinfo,format=gray",
                                        "-fps_mode", "passthrough", "-f", "rawvideo", "-"])
        guard r.exitCode == 0 else { throw TestFailure("ffmpeg -c:v \(decoder): \(r.summary)") }
        let times = r.stderrString.split(separator: "\n").compactMap { line -> Double? in
            guard line.contains("Parsed_showinfo"), let at = line.range(of: "pts_time:") else { return nil }
            return Double(line[at.upperBound...].prefix { !$0.isWhitespace })
        }
        let bytes = [UInt8](r.stdout)
        guard bytes.count == times.count * 64 else { throw TestFailure("ffmpeg: \(bytes.count) bytes for \(times.count) frames") }
        return times.indices.map { i in (times[i], Double(bytes[i * 64 ..< i * 64 + 64].reduce(0) { $0 + Int($1) }) / 64) }
    }

    /// WebM alpha as other muxers and tools write it: a browser recording trimmed in the
    /// middle of a long GOP (first 79 packets before a keyframe), a lost packet (libvpx then
    /// refuses every packet up to the next keyframe: "Keyframe / intra-only frame required to
    /// reset decoder state", which reel counted as 75 damaged packets and gave up on), alpha
    /// only on the blocks with no `alpha_mode` in the track header, and alpha starting on a
    /// non-key block. ffmpeg's libvpx decoders carry on through all of them; so must reel, showing
    /// the frames ffmpeg shows. The opaque half's grey level is 30 + 2 × frame number.
    func testAlphaWebMsFromOtherMuxers() throws {
        let background = file("blue.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "color=0x2040c0:s=320x180:r=30:d=3", "-c:v", "libx264", "-pix_fmt", "yuv420p", background.path])
        for (codec, decoder, encoder) in [("vp9", "libvpx-vp9", ["-c:v", "libvpx-vp9"]), ("vp8", "libvpx", ["-c:v", "libvpx", "-auto-alt-ref", "0"])] {
            let made = file("\(codec).webm")
            try ffmpeg(["-f", "lavfi", "-i", "color=black:s=160x120:r=30:d=3,format=rgba,geq=r='30+2*N':g='30+2*N':b='30+2*N':a='if(lt(X,W/2),255,0)'",
                        "-pix_fmt", "yuva420p"] + encoder + ["-g", "80", "-deadline", "realtime", "-cpu-used", "8", made.path])
            // (name, rewrite, time from which the decoded frames have alpha: before the alpha
            // decoder's first keyframe libvpx returns the colour frames alone, opaque)
            let variants: [(String, [String], Double)] = [
                ("trimmed", ["--start-at", "1", "--live"], 0),
                ("lost-packet", ["--damage", "5", "--live"], 0),
                ("no-alpha-mode", ["--no-alpha-mode"], 0),
                ("alpha-late", ["--no-alpha-mode", "--drop-alpha", "0:3"], 80.0 / 30),
            ]
            for (name, options, alphaFrom) in variants {
                let input = file("\(codec)-\(name).webm")
                try rewriteWebM(made, input, options)
                let expected = try libvpxFrames(input, decoder: decoder)
                XCTAssertGreaterThan(expected.count, 5, "\(codec) \(name): ffmpeg decodes it")
                if name.contains("alpha") {
                    let tags = try ffprobeJSON(input, ["-show_entries", "stream_tags=alpha_mode"])
                    XCTAssertNil(((tags["streams"] as? [[String: Any]])?.first?["tags"] as? [String: Any])?["alpha_mode"], "\(codec): no alpha_mode")
                    XCTAssertTrue(try reel(["probe", input.path]).stdoutString.contains("alpha"), "\(codec): probe finds the alpha on the blocks")
                } else {
                    // reel hash: the same frames as ffmpeg's framemd5 (native decoder, colour only).
                    let (_, ffmpegURL) = try Tools.requireFFmpeg()
                    let reference = try runProcess(ffmpegURL, ["-v", "quiet", "-i", input.path, "-map", "0:v", "-f", "framemd5", "-"])
                    let hash = try reel(["hash", input.path])
                    XCTAssertEqual(hash.exitCode, 0, hash.summary)
                    func md5s(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: ",").last ?? "" } }
                    XCTAssertEqual(md5s(hash.stdoutString), md5s(reference.stdoutString), "\(codec) \(name): reel hash vs framemd5")
                }
                let start = Double((try ffprobeJSON(input, ["-show_entries", "stream=start_time"])["streams"] as? [[String: Any]])?.first?["start_time"] as? String ?? "0") ?? 0
                let out = file("\(codec)-\(name).mp4")
                let r = try reel(["render", "--background", "#000000", background.path, "-o", out.path, "--keep-black-start",
                                  "--presenter", input.path, "--layout", "pip", "--presenter-scale", "0.5", "--presenter-anchor", "center",
                                  "--size", "360x640"])
                XCTAssertEqual(r.exitCode, 0, "\(codec) \(name): \(r.summary)")
                guard r.exitCode == 0 else { continue }
                for t in [0.5, 2.0, 2.9] {
                    // The frame ffmpeg shows at t (the first one before it begins), as the presenter's clock picks it.
                    let shown = expected.last { $0.time - start <= t + 0.5 / 30 } ?? expected[0]
                    let f = try decodeRGB709(out, width: 360, height: 640, seek: t)
                    let opaque = f.average(180 - 45, 320, radius: 3), clear = f.average(180 + 45, 320, radius: 3)
                    XCTAssertTrue(opaque.allSatisfy { abs($0 - shown.grey) < 8 }, "\(codec) \(name) at \(t): opaque half \(fmt(opaque)), ffmpeg's frame \(shown)")
                    if shown.time - start >= alphaFrom - 0.001 {
                        XCTAssertTrue(clear[2] > 150 && clear[0] < 90, "\(codec) \(name) at \(t): transparent half shows the blue recording, \(fmt(clear))")
                    } else {
                        XCTAssertTrue(clear.allSatisfy { abs($0 - shown.grey) < 8 }, "\(codec) \(name) at \(t): a frame without alpha is opaque, \(fmt(clear))")
                    }
                }
            }
        }
    }

    // MARK: - 13: a codec libavcodec does not know

    /// VP8 presenters shaped as other encoders and recorders write them (item 4, green blocks
    /// after the first frame): a picture size that changes at a keyframe mid-stream (two
    /// streams joined, as MediaRecorder does when the window is resized), temporal layers
    /// (frames that update no reference), error-resilient realtime; each with alpha (libvpx
    /// decoder) and without (native decoder). Everything is grey, so any chroma in the render
    /// (ffmpeg's signalstats on every output frame) is garbage: zeroed or stale planes.
    func testVP8PresenterVariantsStayGrey() throws {
        let recording = file("grey.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "color=gray:s=640x360:r=30:d=2", "-c:v", "libx264", recording.path])
        let grey = "format=gray,format=yuva420p,geq=lum='lum(X,Y)':cb=128:cr=128:a='if(lt(X,W/2),255,0)'"
        let vp8 = ["-c:v", "libvpx", "-b:v", "300k", "-auto-alt-ref", "0"]
        for alpha in [true, false] {
            let keep = alpha ? [] : ["-pix_fmt", "yuv420p"]
            let a = file("a-\(alpha).webm"), b = file("b-\(alpha).webm"), list = file("list-\(alpha).txt")
            try ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=240x320:r=30:d=1,\(grey)"] + vp8 + keep + [a.path])
            try ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=180x240:r=30:d=1,\(grey)"] + vp8 + keep + [b.path])
            try "file '\(a.path)'\nfile '\(b.path)'\n".write(to: list, atomically: true, encoding: .utf8)
            let resized = file("resized-\(alpha).webm")
            try ffmpeg(["-f", "concat", "-safe", "0", "-i", list.path, "-c", "copy", resized.path])
            let layers = file("layers-\(alpha).webm"), realtime = file("realtime-\(alpha).webm")
            try ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=240x320:r=30:d=3,\(grey)"] + vp8 + keep
                        + ["-ts-parameters", "ts_number_layers=2:ts_target_bitrate=150,300:ts_rate_decimator=2,1:ts_periodicity=2:ts_layer_id=0,1", layers.path])
            try ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=240x320:r=30:d=3,\(grey)"] + vp8 + keep
                        + ["-error-resilient", "1", "-deadline", "realtime", "-cpu-used", "8", "-lag-in-frames", "0", realtime.path])
            // ffprobe: the joined file changes size at its second keyframe.
            let sizes = try ffprobeJSON(resized, ["-select_streams", "v", "-show_entries", "frame=width"])["frames"] as? [[String: Any]] ?? []
            XCTAssertEqual(Set(sizes.compactMap { $0["width"] as? Int }), [240, 180])
            for presenter in [resized, layers, realtime] {
                let out = file("\(presenter.lastPathComponent).mp4")
                let r = try reel(["render", recording.path, "--presenter", presenter.path, "-o", out.path, "--size", "360x640"])
                XCTAssertEqual(r.exitCode, 0, r.summary)
                XCTAssertEqual(try frameCount(out), 60)
                let (_, ffmpegURL) = try Tools.requireFFmpeg()
                let stats = try runProcess(ffmpegURL, ["-v", "error", "-i", out.path, "-vf",
                    "signalstats,metadata=print:file=-", "-f", "null", "-"]).stdoutString
                var chroma: [Double] = []
                for line in stats.split(separator: "\n") where line.contains(".UMAX=") || line.contains(".UMIN=")
                    || line.contains(".VMAX=") || line.contains(".VMIN=") {
                    if let v = Double(line.split(separator: "=").last ?? "") { chroma.append(v) }
                }
                XCTAssertEqual(chroma.count, 60 * 4, presenter.lastPathComponent)
                XCTAssertLessThanOrEqual(chroma.map { abs($0 - 128) }.max() ?? 999, 3, "\(presenter.lastPathComponent): colour in a grey render")
            }
        }
    }

    /// An MP4 whose sample entry says 'zq42' (ffprobe: codec_name=unknown, tag zq42): the
    /// refusal names the tag, not "none".
    func testUnknownCodecIsNamed() throws {
        let input = file("unknown.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=160x120:r=10:d=0.3", "-c:v", "libx264", input.path])
        var data = try Data(contentsOf: input)
        guard let entry = data.range(of: Data("avc1".utf8), options: .backwards) else { throw TestFailure("no avc1 entry") }
        data.replaceSubrange(entry, with: Data("zq42".utf8))
        try data.write(to: input)
        let tags = try ffprobeJSON(input, ["-show_entries", "stream=codec_name,codec_tag_string"])
        XCTAssertEqual((tags["streams"] as? [[String: Any]])?.first?["codec_tag_string"] as? String, "zq42")
        try assertRefusal(["render", input.path, "-o", file("out.mp4").path], exit: 65, mentions: "unknown codec 'zq42'")
        XCTAssertTrue(try reel(["probe", input.path]).stdoutString.contains("unknown codec 'zq42'"))
    }

    // MARK: - 7: FLV timing

    /// An FLV without onMetaData (as streaming tools write it): 1 ms timestamps, so ffprobe's
    /// average frame rate reads 1000/33. `reel probe` measures 30 fps; the render keeps every
    /// frame, and its audio is as long as its video.
    func testFLVTiming() throws {
        let input = file("stream.flv")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=2", "-f", "lavfi", "-i", "sine=d=2",
                    "-c:v", "libx264", "-c:a", "aac", "-flvflags", "no_metadata", input.path])
        let v = try MediaInfo(input).video
        XCTAssertEqual(v?.str("time_base"), "1/1000")
        XCTAssertNotEqual(v?.str("avg_frame_rate"), "30/1", "the fixture should show the 1 ms rounding")
        let probe = try reel(["probe", input.path])
        XCTAssertTrue(probe.stdoutString.contains("30.000 fps constant"), probe.stdoutString)
        let out = file("flv.mp4")
        let r = try reel(["render", input.path, "-o", out.path, "--size", "360x640"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertEqual(try frameCount(out), try frameCount(input))
        let info = try MediaInfo(out)
        let video = info.video?.num("duration") ?? 0, audio = info.audio?.num("duration") ?? 0
        XCTAssertEqual(video, 2.0, accuracy: 0.001)
        XCTAssertEqual(audio, video, accuracy: 1.0 / 30)
    }

    /// Rewrites an FLV as streaming tools write it (Scripts/flv-rewrite: onMetaData duration, tag timestamps).
    func rewriteFLV(_ input: URL, _ output: URL, _ options: [String]) throws {
        guard let python = Paths.which("python3") else { throw TestFailure("python3 not on PATH") }
        let script = Paths.repoRoot.appendingPathComponent("Scripts/flv-rewrite")
        let r = try runProcess(python, [script.path, input.path, output.path] + options)
        guard r.exitCode == 0 else { throw TestFailure("flv-rewrite: \(r.summary)") }
    }

    /// FLVs whose onMetaData `duration` is shorter than what their tags hold (OBS/nginx-rtmp/
    /// flvtool write the last video timestamp, without the last frame and the audio that runs
    /// on), also starting 5 s late, or with the video 170 ms after the audio. reel used the
    /// declared 1.967 s: `--trim 1:2` and a preview of the last frame were refused ("ends after
    /// the end of the source (1.97 s)"), and `reel probe` reported 1.967 s. The streams decide:
    /// every frame ffmpeg decodes is rendered, with sound to the end; probe says both numbers.
    func testFLVDeclaredDurationShorterThanStreams() throws {
        let made = file("obs.flv")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2.2",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", made.path])
        for (name, options) in [("short", ["--duration", "1.9667"]), ("late", ["--duration", "1.9667", "--shift", "5000"]),
                                ("audio-first", ["--duration", "1.9667", "--shift-video", "170"])] {
            let input = file("\(name).flv")
            try rewriteFLV(made, input, options)
            // ffprobe: the header says 1.967 s; ffmpeg decodes 60 frames (2 s) and 2.2 s of sound.
            XCTAssertEqual(try MediaInfo(input).format["duration"] as? String, "1.966700", name)
            let frames = try frameCount(input)
            XCTAssertEqual(frames, 60, name)
            let probe = try reel(["probe", input.path]).stdoutString
            XCTAssertTrue(probe.contains("the header says 1.967 s"), probe)
            XCTAssertTrue(probe.contains("30.000 fps constant") && probe.contains("duration 2.000 s"), probe)
            let out = file("\(name).mp4")
            let r = try reel(["render", input.path, "-o", out.path, "--size", "360x640", "--frame-hashes", file("\(name).framemd5").path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            XCTAssertEqual(try frameCount(out), frames, name)
            let info = try MediaInfo(out)
            XCTAssertEqual(info.audio?.num("duration") ?? 0, info.video?.num("duration") ?? -1, accuracy: 1.0 / 30, name)
            // Sound to the end: the last 200 ms are the sine (about -16 dB), not padding.
            let (_, ffmpegURL) = try Tools.requireFFmpeg()
            let tail = try runProcess(ffmpegURL, ["-sseof", "-0.2", "-i", out.path, "-map", "0:a", "-af", "astats=measure_perchannel=none",
                                                  "-f", "null", "-"])
            let rms = tail.stderrString.split(separator: "\n").first { $0.contains("RMS level dB") }
                .flatMap { Double($0.split(separator: ":").last!.trimmingCharacters(in: .whitespaces)) } ?? -200
            XCTAssertGreaterThan(rms, -30, "\(name): the render's last 200 ms of sound")
            // The last frame, past the declared end: a trim and a preview reach it.
            let trimmed = file("\(name)-trim.mp4")
            let t = try reel(["render", input.path, "--trim", "1:2", "-o", trimmed.path, "--size", "360x640"])
            XCTAssertEqual(t.exitCode, 0, t.summary)
            XCTAssertEqual(try frameCount(trimmed), 30, name)
            let p = try reel(["preview", input.path, "--at", "1.99", "-o", file("\(name).png").path, "--size", "360x640",
                              "--frame-hashes", file("\(name)-preview.framemd5").path])
            XCTAssertEqual(p.exitCode, 0, p.summary)
            if p.exitCode == 0 {
                XCTAssertEqual(try composedHashes(file("\(name)-preview.framemd5"))[59], try composedHashes(file("\(name).framemd5"))[59], name)
            }
        }
    }

    /// The last picture of an MPEG-PS comes out of the decoder's flush with no time (ffprobe:
    /// best_effort_timestamp N/A): reel dropped it (119 of 120 frames). It goes right after
    /// the frame before it, as ffmpeg places it.
    func testUntimedLastPictureIsKept() throws {
        let input = file("tail.mpg")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=4", "-f", "lavfi", "-i", "sine=d=4",
                    "-c:v", "mpeg2video", "-q:v", "2", "-pix_fmt", "yuv420p", "-c:a", "mp2", "-f", "vob", input.path])
        let times = try ffprobeJSON(input, ["-select_streams", "v", "-show_entries", "frame=best_effort_timestamp"])["frames"] as? [[String: Any]] ?? []
        XCTAssertEqual(times.count, 120)
        XCTAssertNil(times.last?["best_effort_timestamp"], "the fixture's last picture has no time")
        let out = file("tail.mp4"), hashes = file("tail.framemd5")
        let r = try reel(["render", input.path, "-o", out.path, "--size", "360x640", "--frame-hashes", hashes.path])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertEqual(try frameCount(out), 120)
        // libavformat's estimate of the video's duration misses that picture (ffprobe:
        // 3.966667 s): reel probe reads the tail and says 4 s, so a preview of the last
        // picture and a trim that ends at 4 s are not refused ("past the end (3.97 s)").
        XCTAssertEqual(try MediaInfo(input).video?.str("duration"), "3.966667")
        let probe = try reel(["probe", input.path]).stdoutString
        XCTAssertTrue(probe.contains("duration 4.000 s"), probe)
        let trimmed = file("tail-trim.mp4")
        let t = try reel(["render", input.path, "--trim", "3.5:4", "-o", trimmed.path, "--size", "360x640"])
        XCTAssertEqual(t.exitCode, 0, t.summary)
        if t.exitCode == 0 { XCTAssertEqual(try frameCount(trimmed), 15) }
        let preview = file("tail-preview.framemd5")
        let p = try reel(["preview", input.path, "--at", "3.98", "-o", file("tail.png").path, "--size", "360x640", "--frame-hashes", preview.path])
        XCTAssertEqual(p.exitCode, 0, p.summary)
        if p.exitCode == 0, r.exitCode == 0 {
            XCTAssertEqual(try composedHashes(preview)[119], try composedHashes(hashes)[119], "preview at 3.98 = the render's last frame")
        }
    }

    // MARK: - 8: preview and trims in MPEG-TS / MPEG-PS

    /// MPEG-TS (one keyframe, GOP longer than the file) and MPEG-PS (MPEG-2): previews at
    /// T > 0 and a trimmed render show the frame ffmpeg shows at T. Each frame's grey level
    /// is its number (16 + 2n), so the picture says which frame it is.
    func testPreviewInTransportAndProgramStreams() throws {
        // 4 s: ffmpeg's MPEG-PS muxer leaves a gap in the timestamps of the last half second.
        let ramp = ["-f", "lavfi", "-i", "color=black:s=320x240:r=30:d=4,format=gray,geq=lum='16+2*N'"]
        let ts = file("cam.ts"), ps = file("dvd.mpg")
        try ffmpeg(ramp + ["-f", "lavfi", "-i", "sine=d=4", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", ts.path])
        try ffmpeg(ramp + ["-f", "lavfi", "-i", "sine=d=4", "-c:v", "mpeg2video", "-q:v", "2", "-pix_fmt", "yuv420p", "-c:a", "mp2", "-f", "vob", ps.path])
        for input in [ts, ps] {
            // MPEG-PS: after a seek that lands inside a picture, libavformat's parser labels the
            // pictures that follow a frame late or early (see the issue-15 note): at 2.49 s the
            // check once took an unlabelled keyframe for the target and the preview failed with
            // "no decodable video frames"; it now renders, within one frame of ffmpeg's.
            for t in input == ts ? [1.5, 2.5, 3.0] : [1.0, 1.5, 2.45, 2.49, 2.5, 3.0] {
                let png = file("\(input.lastPathComponent)-\(t).png")
                let r = try reel(["preview", input.path, "--at", String(t), "-o", png.path])
                XCTAssertEqual(r.exitCode, 0, r.summary)
                guard r.exitCode == 0 else { continue }
                let got = try decodeFrame(png, pixFmt: "gray", width: 1080, height: 1920).average(540, 830)[0]
                // Frame n = T × 30 of the file, picked by ffmpeg's decode order (its -ss is no help in TS).
                let n = Int(t * 30)
                let expected = try decodeFrame(input, pixFmt: "gray", filter: "select=eq(n\\,\(n))", width: 320, height: 240).average(160, 120)[0]
                // One frame is 2 grey levels (16 + 2n), plus up to 3 for the conversions.
                XCTAssertEqual(got, expected, accuracy: input == ts ? 3 : 5.5, "\(input.lastPathComponent) at \(t)")
            }
            let out = file("\(input.lastPathComponent).mp4")
            let r = try reel(["render", input.path, "--trim", "1.5:3", "-o", out.path, "--size", "360x640"])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            XCTAssertEqual(try frameCount(out), 45, input.lastPathComponent)
        }
    }

    /// The md5 column of a `--frame-hashes` file by output frame number.
    func composedHashes(_ url: URL) throws -> [Int: String] {
        var out: [Int: String] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if f.count == 6, let n = Int(f[2]) { out[n] = f[5] }
        }
        return out
    }

    /// `reel preview --at T` composes exactly the frame the render composes at T, over many T,
    /// on files without an index: MPEG-PS with open-GOP MPEG-2 at 25 fps (each I-frame's
    /// packet comes before the B-frames it is shown after, so a keyframe *packet* before T
    /// can hold a picture after T: previews failed with "no decodable video frames"), an
    /// MPEG-PS of 30 fps MPEG-2 (where the parser labels packets after a seek with a
    /// neighbour's time), MPEG-TS H.264 with B-frames, and an MP4 as the control. The truth is
    /// the render's own composed-frame hashes (`--frame-hashes`); the preview writes its line.
    func testPreviewIsTheRendersFrame() throws {
        let source = ["-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=4", "-f", "lavfi", "-i", "sine=d=4"]
        let fixtures: [(name: String, args: [String], moments: Int)] = [
            ("open-gop25.mpg", ["-r", "25", "-c:v", "mpeg2video", "-bf", "2", "-c:a", "mp2", "-f", "vob"], 20),
            ("mpeg2-30.mpg", ["-c:v", "mpeg2video", "-q:v", "2", "-c:a", "mp2", "-f", "vob"], 12),
            ("bframes.ts", ["-c:v", "libx264", "-bf", "3", "-g", "250", "-c:a", "aac"], 8),
            ("control.mp4", ["-c:v", "libx264", "-bf", "3", "-c:a", "aac"], 6),
        ]
        for (name, args, moments) in fixtures {
            let input = file(name)
            try ffmpeg(source + args + ["-pix_fmt", "yuv420p", input.path])
            if name.hasPrefix("open-gop") {
                // ffprobe: keyframe packets whose picture shows after later-decoded ones (dts < pts).
                let (list, _) = try packets(input, stream: "v")
                XCTAssertTrue(list.contains { $0.isKey && $0.pts != Int64.min && $0.dts < $0.pts - 3600 }, "open GOP fixture")
            }
            let rendered = file("\(name).framemd5")
            let r = try reel(["render", input.path, "-o", file("\(name).mp4").path, "--size", "360x640", "--frame-hashes", rendered.path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            let render = try composedHashes(rendered)
            XCTAssertEqual(render.count, try frameCount(file("\(name).mp4")))
            let length = Double(render.count) / 30
            for i in 0..<moments {
                // Spread over the file, off the frame grid (and the GOP grid) by varying amounts.
                let at = String(format: "%.3f", 0.05 + (length - 0.2) * Double(i) / Double(moments) + 0.011 * Double(i % 3))
                let t = Double(at)!
                let png = file("\(name)-\(i).png"), hashes = file("\(name)-\(i).framemd5")
                let p = try reel(["preview", input.path, "--at", at, "-o", png.path, "--size", "360x640",
                                  "--frame-hashes", hashes.path])
                XCTAssertEqual(p.exitCode, 0, "\(name) at \(t): \(p.summary)")
                guard p.exitCode == 0 else { continue }
                let n = Int((t * 30 + 1e-6).rounded(.down))   // on a frame boundary: that frame
                let preview = try composedHashes(hashes)
                XCTAssertEqual(Array(preview.keys), [n], "\(name) at \(t): the preview names frame n")
                XCTAssertEqual(preview[n], render[n], "\(name) at \(t): preview = the render's frame \(n) (it equals the render's \(render.filter { $0.value == preview[n] }.map(\.key).sorted()))")
            }
        }
    }

    // MARK: - 10: a black cover

    /// A recording that opens on 1 s of black, and one that fades in from black over 1 s:
    /// the video starts at the first frame with content (the cover), the summary says how
    /// much was skipped, `--keep-black-start` keeps it, and a hook still comes first.
    func testLeadingBlackIsSkipped() throws {
        let black = file("black-start.mp4"), fade = file("fade-in.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "color=black:s=320x240:r=30:d=1", "-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=2",
                    "-filter_complex", "[0][1]concat=n=2:v=1:a=0", "-c:v", "libx264", "-pix_fmt", "yuv420p", black.path])
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=3", "-vf", "fade=in:0:30", "-c:v", "libx264", "-pix_fmt", "yuv420p", fade.path])
        let box = layoutBox(displayWidth: 320, displayHeight: 240)
        func firstPanel(_ url: URL) throws -> [Double] {
            try decodeRGB709(url, width: 1080, height: 1920).average(Int(box.x + box.w * 0.1), Int(box.y + box.h * 0.5), radius: 4)
        }
        XCTAssertLessThan(try decodeFrame(black, pixFmt: "gray", width: 320, height: 240).average(160, 120)[0], 20, "fixture opens black")
        for input in [black, fade] {
            let out = file("cover-\(input.lastPathComponent)")
            let r = try reel(["render", input.path, "-o", out.path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            XCTAssertTrue(r.stdoutString.contains("skipped") && r.stdoutString.contains("--keep-black-start"), r.stdoutString)
            XCTAssertGreaterThan(try firstPanel(out).max()!, 120, "\(input.lastPathComponent): the first frame has content")
        }
        XCTAssertEqual(try frameCount(file("cover-black-start.mp4")), 60, "the 30 black frames are gone")
        let kept = file("kept.mp4")
        let k = try reel(["render", black.path, "-o", kept.path, "--keep-black-start"])
        XCTAssertEqual(k.exitCode, 0, k.summary)
        XCTAssertEqual(try frameCount(kept), 90)
        XCTAssertLessThan(try firstPanel(kept).max()!, 40, "kept: the first frame is black")
        let hooked = file("hooked.mp4")
        let h = try reel(["render", black.path, "-o", hooked.path, "--hook", "1.5:1", "--no-hook-flash"])
        XCTAssertEqual(h.exitCode, 0, h.summary)
        XCTAssertEqual(try frameCount(hooked), 30 + 60, "the hook, then the body from its first frame with content")
    }

    // MARK: - 6: interlaced sources

    /// Comb energy of a grey frame: how far each line is from the mean of its neighbours.
    func combing(_ f: Frame) -> Double {
        var sum = 0.0
        for y in 1..<(f.height - 1) {
            for x in stride(from: 0, to: f.width, by: 2) {
                sum += abs(Double(f.pixel(x, y)[0]) - Double(f.pixel(x, y - 1)[0] + f.pixel(x, y + 1)[0]) / 2)
            }
        }
        return sum / Double((f.height - 2) * f.width / 2)
    }

    /// Interlaced H.264 (`-flags +ilme+ildct`, field order tt; two moments of a fast pan
    /// woven into each frame): `reel probe` says interlaced, the render is deinterlaced by
    /// default (no combs on the panel), `--deinterlace off` shows the combs.
    func testInterlacedSourcesAreDeinterlaced() throws {
        let input = file("interlaced.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=640x240:r=50:d=2,crop=320:240:'mod(t*400\\,320)':0",
                    "-vf", "interlace=scan=tff,setfield=tff", "-c:v", "libx264", "-flags", "+ilme+ildct", "-field_order", "tt",
                    "-pix_fmt", "yuv420p", input.path])
        XCTAssertEqual(try MediaInfo(input).video?.str("field_order"), "tt")
        XCTAssertGreaterThan(combing(try decodeFrame(input, pixFmt: "gray", width: 320, height: 240, seek: 1)), 5, "the fixture is combed")
        XCTAssertTrue(try reel(["probe", input.path]).stdoutString.contains("interlaced (tt)"))
        let box = layoutBox(displayWidth: 320, displayHeight: 240)
        let panel = "crop=\(Int(box.w)):\(Int(box.h)):\(Int(box.x)):\(Int(box.y))"
        var comb: [String: Double] = [:]
        for mode in ["auto", "off"] {
            let out = file("\(mode).mp4")
            let r = try reel(["render", input.path, "-o", out.path, "--deinterlace", mode])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            XCTAssertEqual(try frameCount(out), 60)
            comb[mode] = combing(try decodeFrame(out, pixFmt: "gray", filter: panel, width: Int(box.w), height: Int(box.h), seek: 1))
        }
        XCTAssertLessThan(comb["auto"]!, comb["off"]! / 5, "combs left after bwdif: \(comb)")
        let on = try reel(["render", Paths.fixture("media/noaudio.mp4").path, "-o", file("on.mp4").path, "--deinterlace", "on",
                           "--trim", ":0.3", "--size", "360x640"])
        XCTAssertEqual(on.exitCode, 0, on.summary)
        try assertRefusal(["render", input.path, "-o", file("x.mp4").path, "--deinterlace", "maybe"], exit: 64, mentions: "--deinterlace")
    }

    /// An interlaced presenter (the same woven pan) is deinterlaced too: the presenter's box
    /// in the render has about the combing of a progressive copy of the pan, not the combs.
    func testInterlacedPresenterIsDeinterlaced() throws {
        let pan = "testsrc=s=640x240:r=50:d=1.5,crop=320:240:'mod(t*400\\,320)':0"
        let interlaced = file("presenter-interlaced.mp4"), progressive = file("presenter-progressive.mp4")
        try ffmpeg(["-f", "lavfi", "-i", pan, "-vf", "interlace=scan=tff,setfield=tff", "-c:v", "libx264", "-flags", "+ilme+ildct",
                    "-field_order", "tt", "-pix_fmt", "yuv420p", interlaced.path])
        try ffmpeg(["-f", "lavfi", "-i", pan, "-vf", "fps=25", "-c:v", "libx264", "-pix_fmt", "yuv420p", progressive.path])
        XCTAssertEqual(try MediaInfo(interlaced).video?.str("field_order"), "tt")
        let background = file("grey.mp4")
        try ffmpeg(["-f", "lavfi", "-i", "color=gray:s=320x180:r=30:d=1.5", "-c:v", "libx264", "-pix_fmt", "yuv420p", background.path])
        var comb: [String: Double] = [:]
        // `--deinterlace off` reaches the presenter too: then it is combed.
        for (name, presenter, mode) in [("interlaced", interlaced, "auto"), ("progressive", progressive, "auto"), ("off", interlaced, "off")] {
            let out = file("\(name).mp4")
            let r = try reel(["render", background.path, "-o", out.path, "--presenter", presenter.path, "--layout", "pip",
                              "--presenter-scale", "1", "--presenter-anchor", "center", "--size", "720x1280", "--keep-black-start",
                              "--deinterlace", mode])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            guard r.exitCode == 0 else { return }
            // The middle of the presenter's box (centred on the canvas).
            comb[name] = combing(try decodeFrame(out, pixFmt: "gray", filter: "crop=240:160:240:560", width: 240, height: 160, seek: 1))
        }
        XCTAssertLessThan(comb["interlaced"]!, comb["progressive"]! * 1.5 + 0.5, "an interlaced presenter is combed: \(comb)")
        XCTAssertGreaterThan(comb["off"]!, comb["interlaced"]! + 0.5, "--deinterlace off keeps the presenter's fields: \(comb)")
    }

    // MARK: - 12: framemd5-exact `reel hash`

    /// The whole text of `reel hash X` equals `ffmpeg -i X -map 0:v -f framemd5 -` (and
    /// with `-flags +bitexact`, as the README shows): header, time base 1/frame rate, sar
    /// (0/1 when unknown), dts/pts/duration columns, on CFR, VFR, rotated and anamorphic
    /// files, a 1 ms-clock WebM and an untagged-aspect stream.
    func testHashIsFramemd5Exact() throws {
        let (_, ffmpegTool) = try Tools.requireFFmpeg()
        let untagged = file("untagged.mkv")
        try ffmpeg(["-f", "lavfi", "-i", "testsrc=s=96x64:r=25:d=0.5", "-c:v", "ffv1", untagged.path])
        let inputs = ["media/recording-16x9.mp4", "media/vfr.mkv", "media/phone-rotated.mp4", "media/anamorphic.mp4",
                      "media/vp9.webm"].map { Paths.fixture($0) } + [untagged]
        for input in inputs {
            let r = try reel(["hash", input.path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            for flags in [[], ["-flags", "+bitexact"]] {
                let reference = try runProcess(ffmpegTool, ["-v", "error"] + flags + ["-i", input.path, "-map", "0:v", "-f", "framemd5", "-"])
                XCTAssertEqual(reference.exitCode, 0, reference.summary)
                let expected = reference.stdoutString.split(separator: "\n"), got = r.stdoutString.split(separator: "\n")
                XCTAssertEqual(got.count, expected.count, "\(input.lastPathComponent) \(flags): line count")
                if let i = (0..<min(got.count, expected.count)).first(where: { got[$0] != expected[$0] }) {
                    XCTFail("\(input.lastPathComponent) \(flags): line \(i + 1): reel `\(got[i])`, ffmpeg `\(expected[i])`")
                }
            }
        }
    }
}
