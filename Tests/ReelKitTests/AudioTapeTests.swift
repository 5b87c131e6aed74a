import Foundation
import XCTest
@testable import ReelKit
import ReelMedia

/// The loudness passes replay taped audio instead of decoding it again: every loudness
/// decision and every output sample must be what re-decoding gave.
final class AudioTapeTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A voice that needs the limiter (check passes), the recording's own sound under it, music
    /// that loops and ducks, a hook (cuts with crossfades): with all tapes, with only the mix's,
    /// and with none (the old re-decoding), the summary, gains and rendered samples are equal.
    func testTapedPassesGiveTheSameLoudnessAndSamples() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-tape-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let voice = dir.appendingPathComponent("peaky.wav").path
        let ffmpeg = Process()
        ffmpeg.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        ffmpeg.arguments = ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "anoisesrc=color=pink:sample_rate=44100:duration=3:seed=3",
                            "-f", "lavfi", "-i", "aevalsrc='if(lt(mod(t,0.5),0.0005),0.95,0)':s=44100:d=3",
                            "-filter_complex", "[0]highpass=f=150,lowpass=f=3800,volume='if(lt(mod(t,0.5),0.3),1,0)':eval=frame,volume=-22dB[v];[v][1]amix=inputs=2:normalize=0",
                            "-c:a", "pcm_s16le", voice]
        try ffmpeg.run()
        ffmpeg.waitUntilExit()
        XCTAssertEqual(ffmpeg.terminationStatus, 0, "ffmpeg made no voice")

        var o = RenderOptions(input: Self.root.appendingPathComponent("Fixtures/media/recording-16x9.mp4").path,
                              output: dir.appendingPathComponent("out.mp4").path)
        o.voice = voice
        o.voiceStart = 0.3
        o.screenAudio = true
        o.music = Self.root.appendingPathComponent("Fixtures/example/music.ogg").path
        o.trimEnd = 2
        o.hook = .range(start: 1, duration: 1)
        let job = try RenderPlanner().plan(o)
        XCTAssertNotNil(job.audio.voice)
        XCTAssertNotNil(job.audio.screen)
        XCTAssertNotNil(job.audio.music)

        let spf = AudioFormat.sampleRate / job.options.fps
        let oneTape = AudioTape.bytes(frames: job.expectedFrames, samplesPerFrame: spf)
        func run(budget: Int) throws -> (plan: AudioPlan, samples: [[Float]]) {
            let plan = AudioPlan(options: job.options, edit: job.edit, sources: job.audio)
            plan.tapeBudget = budget
            try plan.measure(expectedFrames: job.expectedFrames)
            let renderer = try plan.makeRenderer(expectedFrames: job.expectedFrames)
            var out: [[Float]] = [[], []]
            for _ in 0..<job.expectedFrames {
                let s = try renderer.next()
                out[0] += s[0]; out[1] += s[1]
            }
            let tail = try renderer.finish()
            out[0] += tail[0]; out[1] += tail[1]
            return (plan, out)
        }
        let redecoded = try run(budget: 0)
        XCTAssertEqual(redecoded.plan.tapedPasses, 0)
        let summary = try XCTUnwrap(redecoded.plan.summary)
        XCTAssertTrue(summary.contains("check pass"), "the limiter's check passes are what the mix tape serves: \(summary)")
        XCTAssertEqual(redecoded.samples[0].count, job.expectedFrames * spf)
        for (budget, passes) in [(AudioPlan.defaultTapeBudget, 2), (oneTape, 1)] {
            let taped = try run(budget: budget)
            XCTAssertGreaterThanOrEqual(taped.plan.tapedPasses, passes, "budget \(budget)")
            XCTAssertEqual(taped.plan.summary, summary, "budget \(budget)")
            XCTAssertEqual(taped.plan.mixGain, redecoded.plan.mixGain)
            XCTAssertEqual(taped.plan.voiceGain, redecoded.plan.voiceGain)
            XCTAssertEqual(taped.plan.screenGain, redecoded.plan.screenGain)
            XCTAssertEqual(taped.plan.musicGain, redecoded.plan.musicGain)
            XCTAssertTrue(taped.samples == redecoded.samples, "budget \(budget): rendered samples differ")
        }
    }
}
