// Every output reel writes (render -o, --frame-hashes, preview -o, sheet -o) aimed at every
// file it reads (recording, plan, presenter, voice, music, both subtitle files, both font
// files, the sticker image), by the same path, a hard link, a symbolic link and a path with
// `..`, always with --force: each is refused (exit 64, one line) and nothing changes.

import Foundation
import XCTest

final class OutputsAtInputsTests: ReelTestCase {
    func testNoOutputCanReplaceAnInput() throws {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        func make(_ args: [String]) throws {
            let r = try runProcess(ffmpeg, ["-v", "error", "-y"] + args, currentDirectory: workDir)
            guard r.exitCode == 0 else { throw TestFailure(r.summary) }
        }
        try make(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=30:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "rec.mp4"])
        try make(["-f", "lavfi", "-i", "color=c=green:size=96x96:rate=30:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "presenter.mp4"])
        try make(["-f", "lavfi", "-i", "sine=f=220:duration=2", "-c:a", "aac", "voice.m4a"])
        try make(["-f", "lavfi", "-i", "sine=f=330:duration=2", "-c:a", "libvorbis", "music.ogg"])
        try make(["-f", "lavfi", "-i", "color=c=red:size=32x32", "-frames:v", "1", "sticker.png"])
        let fm = FileManager.default
        try "1\n00:00:00,000 --> 00:00:01,500\n你好\n".write(to: workDir.appendingPathComponent("zh.srt"), atomically: true, encoding: .utf8)
        try "1\n00:00:00,000 --> 00:00:01,500\nHello\n".write(to: workDir.appendingPathComponent("en.srt"), atomically: true, encoding: .utf8)
        let font = Paths.fixture("fonts/NotoSansSC-golden-subset.otf")
        try fm.copyItem(at: font, to: workDir.appendingPathComponent("zh.otf"))
        try fm.copyItem(at: font, to: workDir.appendingPathComponent("en.otf"))
        try fm.createDirectory(at: workDir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let plan = """
        source: rec.mp4
        presenter: presenter.mp4
        subtitles: {file: zh.srt, english: en.srt, font_zh: ./zh.otf, font_en: ./en.otf}
        stickers: [{image: sticker.png, layer: canvas, x: 0.5, y: 0.2, size: 0.1}]
        audio: {voice: voice.m4a, music: music.ogg}
        size: 144x256
        preset: ultrafast
        """
        try plan.write(to: workDir.appendingPathComponent("plan.yaml"), atomically: true, encoding: .utf8)
        let inputs = ["rec.mp4", "plan.yaml", "presenter.mp4", "voice.m4a", "music.ogg", "zh.srt", "en.srt", "zh.otf", "en.otf", "sticker.png"]

        // Sanity: the job itself renders, so every refusal below is about the output alone.
        let ok = try reel(["render", "plan.yaml", "-o", "fine.mp4", "--frame-hashes", "fine.framemd5", "--quiet"])
        XCTAssertEqual(ok.exitCode, 0, ok.summary)
        try? fm.removeItem(at: workDir.appendingPathComponent("fine.mp4"))
        try? fm.removeItem(at: workDir.appendingPathComponent("fine.framemd5"))

        /// A name for `input` of each kind: itself, a hard link, a symbolic link, a `..` path.
        var serial = 0
        func alias(_ input: String, _ kind: Int) throws -> String {
            serial += 1
            switch kind % 4 {
            case 0: return input
            case 1:
                let name = "hard-\(serial)-\(input)"
                try fm.linkItem(atPath: workDir.appendingPathComponent(input).path, toPath: workDir.appendingPathComponent(name).path)
                return name
            case 2:
                let name = "sym-\(serial)-\(input)"
                try fm.createSymbolicLink(atPath: workDir.appendingPathComponent(name).path, withDestinationPath: input)
                return name
            default: return "sub/../\(input)"
            }
        }
        let outputs: [(String, (String) -> [String])] = [
            ("render -o", { ["render", "plan.yaml", "-o", $0, "--force"] }),
            ("--frame-hashes", { ["render", "plan.yaml", "-o", "out.mp4", "--frame-hashes", $0, "--force"] }),
            ("preview -o", { ["preview", "plan.yaml", "--at", "0.5", "-o", $0, "--force"] }),
        ]
        var runs: [(String, [String])] = []
        for (label, command) in outputs {
            for (i, input) in inputs.enumerated() {
                for kind in [i, i + 1] { runs.append(("\(label) at \(input)", command(try alias(input, kind)))) }
            }
        }
        for kind in 0..<4 { runs.append(("sheet -o at rec.mp4", ["sheet", "rec.mp4", "-o", try alias("rec.mp4", kind), "--force"])) }

        let before = try folderSnapshot()
        var failures: [String] = []
        for (label, args) in runs {
            let r = try reel(args, timeout: 60)
            let lines = r.stderrString.split(separator: "\n")
            var problems: [String] = []
            if r.exitCode != 64 { problems.append("exit \(r.exitCode), expected 64") }
            if lines.count != 1 || !lines[0].contains("is an input of this run") { problems.append("stderr: \(r.stderrString.prefix(400))") }
            let after = try folderSnapshot()
            if after != before {
                problems.append("files changed: \(Set(after.keys).symmetricDifference(before.keys).sorted()) "
                                + "\(before.filter { after[$0.key] != $0.value }.map(\.key).sorted())")
                for name in after.keys where before[name] == nil { try? fm.removeItem(at: workDir.appendingPathComponent(name)) }
            }
            if !problems.isEmpty { failures.append("\(label) (`reel \(args.joined(separator: " "))`): " + problems.joined(separator: "; ")) }
        }
        XCTAssertGreaterThanOrEqual(runs.count, 60)
        XCTAssert(failures.isEmpty, "\(failures.count) of \(runs.count) outputs were not refused:\n" + failures.joined(separator: "\n"))
    }
}
