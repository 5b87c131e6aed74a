import XCTest

/// Item 7's class beyond FLV: headers that declare less than the file holds.
extension RealWorldFileTests {
    /// Scales the version-0 duration fields of an MP4's boxes named in `boxes` (`mvhd`,
    /// `tkhd`, `mdhd`, `elst`) by `factor`, as an editor or muxer that wrote them short.
    func shortenMP4(_ input: URL, _ output: URL, by factor: Double, boxes: Set<String>) throws {
        var data = try Data(contentsOf: input)
        func u32(_ at: Int) -> Int { data[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        func put(_ at: Int, _ value: Int) { for k in 0..<4 { data[at + k] = UInt8((value >> (24 - 8 * k)) & 0xFF) } }
        func walk(_ start: Int, _ end: Int) {
            var p = start
            while p + 8 <= end {
                let size = u32(p), type = String(decoding: data[p + 4..<p + 8], as: UTF8.self), body = p + 8
                guard size >= 8 else { return }
                if ["moov", "trak", "mdia", "edts"].contains(type) { walk(body, p + size) }
                if boxes.contains(type), data[body] == 0 {
                    if let offset = ["mvhd": 16, "tkhd": 20, "mdhd": 16][type] {
                        put(body + offset, Int(Double(u32(body + offset)) * factor))
                    } else if type == "elst" {
                        for entry in 0..<u32(body + 4) { put(body + 8 + 12 * entry, Int(Double(u32(body + 8 + 12 * entry)) * factor)) }
                    }
                }
                p += size
            }
        }
        walk(data.startIndex, data.endIndex)
        try data.write(to: output)
    }

    /// Scales an AVI's declared lengths (`avih` dwTotalFrames, each `strh` dwLength) by
    /// `factor`, as a capture tool that wrote its header before the last frames would.
    func shortenAVI(_ input: URL, _ output: URL, by factor: Double) throws {
        var data = try Data(contentsOf: input)
        func patch(_ at: Int) {
            let old = data[at..<at + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            let new = Int(Double(old) * factor)
            for k in 0..<4 { data[at + k] = UInt8((new >> (8 * k)) & 0xFF) }
        }
        if let avih = data.range(of: Data("avih".utf8)) { patch(avih.lowerBound + 8 + 16) }
        var from = data.startIndex
        while let strh = data.range(of: Data("strh".utf8), in: from..<data.endIndex) {
            patch(strh.lowerBound + 8 + 32)
            from = strh.upperBound
        }
        try data.write(to: output)
    }

    /// Matroska/WebM whose `Duration` (and DURATION tags), MP4s whose `mvhd`/`tkhd`/`mdhd`
    /// and an AVI whose `avih`/`strh` lengths say 1.5 s (or one frame less than 2 s) while
    /// the file holds 2 s of pictures and sound (ffprobe: format duration 1.500000, 60
    /// frames decoded). reel believed the header: `--trim 1:1.9` exit 64 "ends
    /// after the end of the source (1.5 s)", a preview of the last frames exit 64, and a
    /// presenter would loop or hold at 1.5 s. Now the end of the file is read (a seek near
    /// the declared end, demux only): probe says both numbers, trims and previews reach the
    /// last frame. Control: an MP4 whose edit list (`elst`) also ends at 1.5 s really shows
    /// 1.5 s (ffmpeg decodes 45 frames), and reel still refuses the range as before.
    func testDeclaredDurationShorterThanPackets() throws {
        let src = ["-f", "lavfi", "-i", "testsrc=s=320x240:r=30:d=2", "-f", "lavfi", "-i", "sine=f=440:d=2"]
        let mkv = file("made.mkv"), webm = file("made.webm"), mp4 = file("made.mp4")
        try ffmpeg(src + ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", mkv.path])
        try ffmpeg(src + ["-c:v", "libvpx", "-b:v", "300k", "-c:a", "libopus", webm.path])
        try ffmpeg(src + ["-c:v", "libx264", "-bf", "3", "-pix_fmt", "yuv420p", "-c:a", "aac", mp4.path])
        try rewriteWebM(mkv, file("short.mkv"), ["--duration", "1.5"])
        try rewriteWebM(webm, file("short.webm"), ["--duration", "1.5"])
        try shortenMP4(mp4, file("movie-header.mp4"), by: 0.75, boxes: ["mvhd", "tkhd"])
        try shortenMP4(mp4, file("media-header.mp4"), by: 0.75, boxes: ["mvhd", "tkhd", "mdhd"])
        try shortenMP4(mp4, file("edit-list.mp4"), by: 0.75, boxes: ["mvhd", "tkhd", "mdhd", "elst"])
        let avi = file("made.avi")
        try ffmpeg(src + ["-c:v", "mpeg4", "-q:v", "3", "-c:a", "pcm_s16le", avi.path])
        try shortenAVI(avi, file("short.avi"), by: 0.75)
        // One frame short, with B-frames: the last picture's packet is not the last packet.
        try shortenMP4(mp4, file("one-frame.mp4"), by: 0.984, boxes: ["mvhd", "tkhd", "mdhd"])
        for (name, declared) in [("short.mkv", "1.500"), ("short.webm", "1.500"), ("movie-header.mp4", "1.500"),
                                 ("media-header.mp4", "1.500"), ("one-frame.mp4", "1.968"), ("short.avi", "1.500")] {
            let input = file(name)
            XCTAssertEqual(try MediaInfo(input).format["duration"] as? String, declared + "000", "fixture \(name)")
            XCTAssertEqual(try frameCount(input), 60, "fixture \(name): ffmpeg decodes 2 s")
            let probe = try reel(["probe", input.path]).stdoutString
            XCTAssertTrue(probe.contains("the header says \(declared) s") && probe.contains("duration 2.000 s"), probe)
            let out = file("\(name).mp4"), hashes = file("\(name).framemd5")
            let r = try reel(["render", input.path, "-o", out.path, "--size", "360x640", "--frame-hashes", hashes.path])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            XCTAssertEqual(try frameCount(out), 60, name)
            let info = try MediaInfo(out)
            XCTAssertEqual(info.audio?.num("duration") ?? 0, info.video?.num("duration") ?? -1, accuracy: 1.0 / 30, name)
            let trimmed = file("\(name)-trim.mp4")
            let t = try reel(["render", input.path, "--trim", "1:1.9", "-o", trimmed.path, "--size", "360x640"])
            XCTAssertEqual(t.exitCode, 0, "\(name): \(t.summary)")
            XCTAssertEqual(try frameCount(trimmed), 27, name)
            let preview = file("\(name)-preview.framemd5")
            let p = try reel(["preview", input.path, "--at", "1.99", "-o", file("\(name).png").path, "--size", "360x640",
                              "--frame-hashes", preview.path])
            XCTAssertEqual(p.exitCode, 0, "\(name): \(p.summary)")
            if p.exitCode == 0, r.exitCode == 0 {
                XCTAssertEqual(try composedHashes(preview)[59], try composedHashes(hashes)[59], "\(name): preview at 1.99 = the render's last frame")
            }
        }
        // The edit list is the presentation: 45 frames for ffmpeg, and for reel.
        let cut = file("edit-list.mp4")
        XCTAssertEqual(try frameCount(cut), 45)
        XCTAssertFalse(try reel(["probe", cut.path]).stdoutString.contains("header says"))
        try assertRefusal(["render", cut.path, "--trim", "1:1.9", "-o", file("cut.mp4").path], exit: 64, mentions: "ends after the end of the source")
    }
}
