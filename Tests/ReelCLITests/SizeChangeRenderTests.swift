import XCTest

/// A recording whose picture size changes mid-stream (two clips joined without re-encoding, a
/// recorder that followed a window resize). The canvas graph is rebuilt for the new size and
/// the frame scaled to the stream's declared size first, so the planned crop still fits: the
/// render used to stop at the change ("Failed to configure input pad on Parsed_crop_0").
/// Checked with ffprobe/ffmpeg.
final class SizeChangeRenderTests: ReelTestCase {
    @discardableResult
    func ffmpeg(_ arguments: [String]) throws -> ProcessResult {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let r = try runProcess(ffmpeg, ["-nostdin", "-v", "error", "-y"] + arguments, currentDirectory: workDir)
        guard r.exitCode == 0 else { throw TestFailure("fixture: \(r.summary)") }
        return r
    }

    func testRecordingThatShrinksMidStreamFillsThePanel() throws {
        // 2 s of test pattern at 640x360, then 2 s of solid red at 320x240 (4:3), in one MPEG-TS.
        try ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=640x360:r=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "a.ts"])
        try ffmpeg(["-f", "lavfi", "-i", "color=c=red:s=320x240:r=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "b.ts"])
        try Data("file 'a.ts'\nfile 'b.ts'\n".utf8).write(to: workDir.appendingPathComponent("list.txt"))
        try ffmpeg(["-f", "concat", "-i", "list.txt", "-c", "copy", "joined.ts"])
        let input = workDir.appendingPathComponent("joined.ts"), out = workDir.appendingPathComponent("out.mp4")

        let r = try reel(["render", input.path, "-o", out.path, "--crop", "none", "--background", "#000000", "--fps", "25"])
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let counted = try ffprobeJSON(out, ["-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames"])
        XCTAssertEqual((counted["streams"] as? [[String: Any]])?.first?.int("nb_read_frames"), 100, "both parts, 4 s at 25 fps")

        // The second part fills the whole 16:9 panel planned for 640x360 (stretched from 4:3),
        // edge to edge; above the panel stays the black background.
        let box = layoutBox(displayWidth: 640, displayHeight: 360)
        let late = try decodeRGB709(out, width: 1080, height: 1920, seek: 3.5)
        for x in [box.x + 12, box.x + box.w / 2, box.x + box.w - 12] {
            let p = late.average(Int(x), Int(box.y + box.h / 2))
            XCTAssertTrue(p[0] > 180 && p[1] < 70 && p[2] < 70, "red at x \(Int(x)): \(p)")
        }
        XCTAssertLessThan(late.average(540, Int(box.y) - 30).max()!, 30, "background above the panel")
        let early = try decodeRGB709(out, width: 1080, height: 1920, seek: 1)
        XCTAssertFalse(early.average(Int(box.x + box.w / 2), Int(box.y + box.h / 2)) == late.average(Int(box.x + box.w / 2), Int(box.y + box.h / 2)),
                       "the first part shows its own picture")
    }
}
