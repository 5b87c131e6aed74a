import XCTest

/// The output's frame types are x264's own decision, not the source's: a composed picture
/// keeps its source frame's properties, and libx264 forces a frame's picture type.
extension RealWorldFileTests {
    /// Intra-only sources (every picture an I-frame: MJPEG as from capture cards and webcams,
    /// H.264 with a GOP of 1 as some recorders write) and a source with a short fixed GOP:
    /// the output has no more I-frames than its own GOP of 2 s asks (plus a scene cut or two),
    /// checked with ffprobe. Before, the first two came out all I-frames.
    func testSourceFrameTypesDoNotReachTheEncoder() throws {
        let variants: [(String, [String])] = [
            ("intra.mkv", ["-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p"]),
            ("gop1.mp4", ["-c:v", "libx264", "-preset", "ultrafast", "-g", "1", "-pix_fmt", "yuv420p"]),
            ("gop5.mp4", ["-c:v", "libx264", "-preset", "veryfast", "-g", "5", "-bf", "2", "-pix_fmt", "yuv420p"]),
        ]
        for (name, codec) in variants {
            let input = file(name)
            try ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=4"] + codec + [input.path])
            let sourceTypes = try pictureTypes(input)
            XCTAssertEqual(sourceTypes.count, 120, name)
            XCTAssertGreaterThanOrEqual(sourceTypes.filter { $0 == "I" }.count, 20, "\(name): the source should have many I-frames")
            let out = file(name + ".out.mp4")
            let r = try reel(["render", input.path, "-o", out.path, "--preset", "ultrafast"])
            XCTAssertEqual(r.exitCode, 0, r.summary)
            guard r.exitCode == 0 else { continue }
            let types = try pictureTypes(out)
            XCTAssertEqual(types.count, 120, name)
            let intra = types.filter { $0 == "I" }.count
            XCTAssertLessThanOrEqual(intra, 4, "\(name): \(intra) I-frames in 120 (keyint 60), types \(types.joined())")
        }
    }

    /// Each decoded picture's type, in presentation order, by ffprobe.
    func pictureTypes(_ file: URL) throws -> [String] {
        let (ffprobe, _) = try Tools.requireFFmpeg()
        let r = try runProcess(ffprobe, ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pict_type",
                                         "-of", "csv=p=0", file.path])
        guard r.exitCode == 0 else { throw TestFailure("ffprobe: \(r.summary)") }
        return r.stdoutString.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
