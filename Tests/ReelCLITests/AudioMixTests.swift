import XCTest

/// The audio mix, measured with ffmpeg's own filters (ebur128, bandpass + astats), never reel.
final class AudioMixTests: ReelTestCase {
    /// Every check here is on the sound: the picture is rendered small (a ninth of the default
    /// pixels) so the renders spend their time on the audio path these tests are about.
    static let picture = ["--size", "360x640"]

    /// Makes an audio (or audio+video) file with ffmpeg from lavfi sources and a filter.
    func make(_ name: String, _ inputs: [String], filter: String? = nil, codec: [String]) throws -> URL {
        let (_, ffmpeg) = try Tools.requireFFmpeg()
        let out = workDir.appendingPathComponent(name)
        var args = ["-nostdin", "-v", "error", "-y"]
        for i in inputs { args += ["-f", "lavfi", "-i", i] }
        if let filter { args += ["-filter_complex", filter] }
        let r = try runProcess(ffmpeg, args + codec + [out.path])
        guard r.exitCode == 0 else { throw TestFailure("making \(name) failed: \(r.summary)") }
        return out
    }

    /// Speech-like: band-limited noise in syllable-length bursts (300 ms on, 200 ms off), 4 s.
    func voice(_ name: String, gain dB: Double) throws -> URL {
        try make(name, ["anoisesrc=color=pink:sample_rate=48000:duration=4:seed=7"],
                 filter: "[0]highpass=f=150,lowpass=f=3800,volume='if(lt(mod(t,0.5),0.3),1,0)':eval=frame,volume=\(dB)dB",
                 codec: ["-c:a", "pcm_s16le"])
    }

    func ebur128(_ file: URL) throws -> (integrated: Double, truePeak: Double) {
        let report = try audioFilterReport(file, filter: "ebur128=peak=true")
        guard let summary = report.range(of: "Summary:") else { throw TestFailure("no ebur128 summary") }
        let tail = report[summary.upperBound...]
        func value(after key: String) -> Double? {
            guard let r = tail.range(of: key) else { return nil }
            return Double(tail[r.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        guard let i = value(after: "I:"), let tp = value(after: "Peak:") else { throw TestFailure("cannot read ebur128: \(tail)") }
        return (i, tp)
    }

    func testQuietAndHotVoicesLandAtMinus14LUFS() throws {
        for (name, level) in [("quiet", -30.0), ("hot", -6.0)] {
            let v = try voice("\(name).wav", gain: 0)
            // Set the voice to the wanted loudness as measured by ffmpeg itself.
            let measured = try ebur128(v).integrated
            let leveled = try make("\(name)-l.wav", ["anoisesrc=color=pink:sample_rate=48000:duration=4:seed=7"],
                                   filter: "[0]highpass=f=150,lowpass=f=3800,volume='if(lt(mod(t,0.5),0.3),1,0)':eval=frame,volume=\(level - measured)dB",
                                   codec: ["-c:a", "pcm_s16le"])
            XCTAssertEqual(try ebur128(leveled).integrated, level, accuracy: 1.0)
            let out = try render("media/recording-16x9.mp4", ["--voice", leveled.path] + Self.picture, name: name)
            let (i, tp) = try ebur128(out)
            // The issue allows ±1 LU; reel aims at ±0.3 (the limiter is measured after, not guessed).
            XCTAssertEqual(i, -14, accuracy: 0.5, "\(name) voice: \(i) LUFS")
            print("AudioMixTests: \(name) voice → \(i) LUFS, true peak \(tp) dBTP")
            XCTAssertLessThanOrEqual(tp, -1.0, "\(name) voice: true peak \(tp) dBTP")
        }
    }

    /// A quiet voice with sharp full-scale clicks (plosive-like, 0.5 ms twice a second) needs the limiter to reach -14 LUFS under
    /// -1 dBTP. The limiter takes loudness off with the peaks, so reel measures again after it
    /// and adds the missing gain; without that this voice landed near -15 LUFS.
    func testLimitedVoiceStillLandsOnTarget() throws {
        let peaky = try make("peaky.wav", ["anoisesrc=color=pink:sample_rate=48000:duration=6:seed=3",
                                           "aevalsrc='if(lt(mod(t,0.5),0.0005),0.95,0)':s=48000:d=6"],
                             filter: "[0]highpass=f=150,lowpass=f=3800,volume='if(lt(mod(t,0.5),0.3),1,0)':eval=frame,volume=-22dB[v];[v][1]amix=inputs=2:normalize=0",
                             codec: ["-c:a", "pcm_s16le"])
        let out = workDir.appendingPathComponent("peaky.mp4")
        let r = try reel(["render", Paths.fixture("media/recording-16x9.mp4").path, "-o", out.path, "--force", "--voice", peaky.path] + Self.picture)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        XCTAssertTrue(r.stdoutString.contains("limiter on"), "this voice should need the limiter: \(r.stdoutString)")
        let (i, tp) = try ebur128(out)
        print("AudioMixTests: peaky voice → \(i) LUFS, true peak \(tp) dBTP")
        XCTAssertEqual(i, -14, accuracy: 0.5, "integrated \(i) LUFS")
        XCTAssertLessThanOrEqual(tp, -1.0, "true peak \(tp) dBTP")
    }

    /// RMS level (dB) of the 150 Hz band between two times.
    func bandLevel(_ file: URL, from: Double, to: Double, frequency: Int) throws -> Double {
        guard let ffmpeg = Tools.ffmpeg else { throw TestFailure("ffmpeg not found") }
        let r = try runProcess(ffmpeg, ["-nostdin", "-hide_banner", "-v", "info", "-ss", String(from), "-t", String(to - from), "-i", file.path,
                                        "-vn", "-af", "bandpass=f=\(frequency):width_type=q:w=8,bandpass=f=\(frequency):width_type=q:w=8,astats=measure_overall=RMS_level:measure_perchannel=none",
                                        "-f", "null", "-"])
        guard let range = r.stderrString.range(of: "RMS level dB:") else { throw TestFailure("no astats: \(r.summary)") }
        return Double(r.stderrString[range.upperBound...].trimmingCharacters(in: .whitespaces).split(separator: "\n").first ?? "") ?? .nan
    }

    func testMusicDucksUnderTheVoice() throws {
        // Voice: a 2 kHz tone speaking 0.5–2.0 s, silent 2.0–4.0 s. Music: a steady 150 Hz tone.
        let v = try make("v.wav", ["sine=frequency=2000:sample_rate=48000:duration=4"],
                         filter: "[0]volume='if(between(t,0.5,2.0),0.5,0)':eval=frame", codec: ["-c:a", "pcm_s16le"])
        let m = try make("m.wav", ["sine=frequency=150:sample_rate=48000:duration=8"], filter: "[0]volume=0.3", codec: ["-c:a", "pcm_s16le"])
        let out = try render("media/recording-16x9.mp4", ["--voice", v.path, "--music", m.path] + Self.picture)
        let speaking = try bandLevel(out, from: 1.0, to: 1.8, frequency: 150)
        let gap = try bandLevel(out, from: 2.8, to: 3.5, frequency: 150)
        XCTAssertGreaterThanOrEqual(gap - speaking, 6, "music \(speaking) dB under the voice vs \(gap) dB in the gap")
    }

    func testMixedRatesLayoutsAndCodecs() throws {
        // 44.1 kHz mono AAC voice (1 kHz), 48 kHz 5.1 FLAC music (200 Hz), and a recording
        // whose own sound is 22.05 kHz (3 kHz tone), switched on with --screen-audio on.
        let v = try make("voice.m4a", ["sine=frequency=1000:sample_rate=44100:duration=4"], filter: "[0]volume='if(lt(mod(t,1),0.6),0.3,0)':eval=frame",
                         codec: ["-c:a", "aac", "-ac", "1", "-ar", "44100"])
        let m = try make("music.flac", ["sine=frequency=200:sample_rate=48000:duration=6"], filter: "[0]volume=0.3,pan=5.1|FL=c0|FR=c0|FC=c0|LFE=c0|BL=c0|BR=c0",
                         codec: ["-c:a", "flac"])
        let rec = try make("rec.mp4", ["testsrc=size=320x240:rate=30:duration=4", "sine=frequency=3000:sample_rate=22050:duration=4"],
                           codec: ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ar", "22050", "-ac", "1"])
        let out = workDir.appendingPathComponent("mixed.mp4")
        let r = try reel(["render", rec.path, "-o", out.path, "--voice", v.path, "--music", m.path, "--screen-audio", "on"] + Self.picture)
        XCTAssertEqual(r.exitCode, 0, r.summary)
        let info = try ffprobeJSON(out, ["-show_entries", "stream=codec_type,codec_name,profile,sample_rate,channels,duration"])
        let audio = (info["streams"] as? [[String: Any]] ?? []).first { $0["codec_type"] as? String == "audio" } ?? [:]
        XCTAssertEqual(audio["codec_name"] as? String, "aac")
        XCTAssertEqual(audio["profile"] as? String, "LC")
        XCTAssertEqual(audio["sample_rate"] as? String, "48000")
        XCTAssertEqual(audio["channels"] as? Int, 2)
        for (f, what) in [(1000, "voice"), (200, "music"), (3000, "recording")] {
            XCTAssertGreaterThan(try bandLevel(out, from: 0.1, to: 0.5, frequency: f), -45, "\(what) is missing")
        }
        XCTAssertEqual(try ebur128(out).integrated, -14, accuracy: 0.5)
    }

    func testVoiceClickStaysInSyncWithAndWithoutHook() throws {
        let v = try make("click.wav", ["aevalsrc='if(between(t,1.2,1.205),0.9,0)':s=44100:d=4"], codec: ["-c:a", "pcm_s16le"])
        func onset(_ out: URL) throws -> [Double] {
            let (_, ffmpeg) = try Tools.requireFFmpeg()
            let a = try runProcess(ffmpeg, ["-v", "error", "-i", out.path, "-map", "0:a", "-ac", "1", "-f", "s16le", "-"])
            var times: [Double] = [], last = -100_000
            a.stdout.withUnsafeBytes { raw in
                let s = raw.bindMemory(to: Int16.self)
                for i in 0..<s.count where abs(Int(s[i])) > 8000 { if i - last > 4800 { times.append(Double(i) / 48000) }; last = i }
            }
            return times
        }
        let plain = try render("media/recording-16x9.mp4", ["--voice", v.path] + Self.picture, name: "plain")
        let p = try onset(plain)
        XCTAssertEqual(p.count, 1); XCTAssertEqual(p.first ?? -1, 1.2, accuracy: 1.0 / 30)
        // Hook 1.0–2.0 s holds the click (at 0.2 s of the output), and the body has it at 1 + 1.2 s.
        let hooked = try render("media/recording-16x9.mp4", ["--voice", v.path, "--hook", "1:1"] + Self.picture, name: "hooked")
        let h = try onset(hooked)
        XCTAssertEqual(h.count, 2, "\(h)")
        XCTAssertEqual(h.first ?? -1, 0.2, accuracy: 1.0 / 30)
        XCTAssertEqual(h.last ?? -1, 2.2, accuracy: 1.0 / 30)
    }
}
