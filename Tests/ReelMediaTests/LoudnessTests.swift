import Foundation
import XCTest
@testable import ReelMedia

final class LoudnessTests: XCTestCase {
    override func setUp() {
        super.setUp()
        MediaLog.configure(verbose: false)   // ebur128 prints its summary at info level otherwise
    }

    static let rate = 48000
    static let chunk = 1600

    // MARK: Signals

    /// A sine of `peak` dBFS on both channels.
    func sine(_ frequency: Double = 997, peakDB: Double, seconds: Double) -> [[Float]] {
        let a = pow(10, peakDB / 20)
        let x = (0..<Int(seconds * Double(Self.rate))).map { Float(a * sin(2 * .pi * frequency * Double($0) / Double(Self.rate))) }
        return [x, x]
    }

    /// Deterministic white noise in [-1, 1).
    func noise(count: Int, seed: UInt64) -> [Float] {
        var s = seed
        return (0..<count).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: s) >> 11) / Float(1 << 52)
        }
    }

    /// Clipped noise boosted +12 dB: square-ish, sample peaks at +6 dBFS, dense inter-sample overs.
    func hotNoise(seconds: Double) -> [[Float]] {
        let n = Int(seconds * Double(Self.rate))
        let g = Float(pow(10, 12.0 / 20))
        return [noise(count: n, seed: 1), noise(count: n, seed: 2)].map { $0.map { max(-0.5, min(0.5, $0 * 0.8)) * g } }
    }

    /// Quiet noise with loud decaying 3 kHz / 7 kHz hits twice a second: the crest factor of
    /// speech with plosives, the case where normalizing to -14 LUFS needs the limiter.
    func peaky(seconds: Double) -> [[Float]] {
        let n = Int(seconds * Double(Self.rate))
        return [noise(count: n, seed: 3), noise(count: n, seed: 4)].map { bed in
            (0..<n).map { i in
                let t = Double(i) / Double(Self.rate)
                let hit = 0.5 * sin(2 * .pi * 3000 * t) * exp(-40 * t.truncatingRemainder(dividingBy: 0.5))
                    + 0.3 * sin(2 * .pi * 7000 * t + 1) * exp(-60 * (t + 0.25).truncatingRemainder(dividingBy: 0.5))
                return Float(0.03 * Double(bed[i]) + hit)
            }
        }
    }

    func chunks(_ x: [[Float]]) -> [[[Float]]] {
        stride(from: 0, to: x[0].count, by: Self.chunk).map { s in
            let e = min(s + Self.chunk, x[0].count)
            return [Array(x[0][s..<e]), Array(x[1][s..<e])]
        }
    }

    func measure(_ x: [[Float]]) throws -> Loudness {
        let meter = try LoudnessMeter()
        for c in chunks(x) { try meter.add(c) }
        return try meter.finish()
    }

    /// Runs the normalizer chunk by chunk; checks no chunk comes back longer than it went in.
    func normalize(_ x: [[Float]], _ normalizer: LoudnessNormalizer) throws -> [[Float]] {
        var out: [[Float]] = [[], []]
        for c in chunks(x) {
            let y = try normalizer.process(c)
            XCTAssertEqual(y[0].count, y[1].count)
            XCTAssertLessThanOrEqual(y[0].count, c[0].count)
            out[0] += y[0]; out[1] += y[1]
        }
        let tail = normalizer.finish()
        out[0] += tail[0]; out[1] += tail[1]
        return out
    }

    // MARK: Meter

    func testSineAtMinus20dBFSIsMinus20LUFS() throws {
        let l = try measure(sine(peakDB: -20, seconds: 5))
        XCTAssertEqual(l.integrated, -20, accuracy: 0.3)
        XCTAssertEqual(l.samplePeak, -20, accuracy: 0.05)
        XCTAssertEqual(l.truePeak, -20, accuracy: 0.1)
        XCTAssertEqual(l.range, 0, accuracy: 0.5)
    }

    func testLouderSineMeasuresLouder() throws {
        XCTAssertEqual(try measure(sine(peakDB: -6, seconds: 3)).integrated, -6, accuracy: 0.3)
    }

    func testSilence() throws {
        let silence: [[Float]] = [[Float](repeating: 0, count: 96000), [Float](repeating: 0, count: 96000)]
        let l = try measure(silence)
        XCTAssertEqual(l.integrated, Loudness.silenceIntegrated)
        XCTAssertTrue(l.isSilent)
        XCTAssertEqual(l.samplePeak, -.infinity)
        XCTAssertEqual(l.truePeak, -.infinity)
        XCTAssertEqual(LoudnessNormalizer.gain(for: l, target: -14), 0)
        let json = String(decoding: try JSONEncoder().encode(l), as: UTF8.self)
        XCTAssertTrue(json.contains("\"truePeak\":null"), json)
    }

    func testNothingAddedIsSilence() throws {
        XCTAssertTrue(try LoudnessMeter().finish().isSilent)
    }

    func testSamplePeakIsTheLargestSample() throws {
        var x = sine(440, peakDB: -12, seconds: 1)
        x[1][30001] = -0.7   // one spike, in the last partial 100 ms block
        let l = try measure(x)
        XCTAssertEqual(l.samplePeak, 20 * log10(Double(Float(0.7))), accuracy: 1e-6)
        XCTAssertGreaterThanOrEqual(l.truePeak, l.samplePeak - 0.01)
    }

    func testInterSamplePeakIsAboveTheSamplePeak() throws {
        // fs/4 at 45° phase: every sample sits at 0.707 of the crest, the curve between them reaches
        // it. A 10 ms fade-in: an abrupt start overshoots (ffmpeg measures -5.4 dBTP then, as we do).
        let x = (0..<48000).map { Float(0.5 * sin(Double.pi / 2 * Double($0) + .pi / 4) * min(1, Double($0) / 480)) }
        let l = try measure([x, x])
        XCTAssertEqual(l.samplePeak, 20 * log10(0.5 * 0.5.squareRoot()), accuracy: 0.01)
        XCTAssertEqual(l.truePeak, 20 * log10(0.5), accuracy: 0.2)
    }

    /// A pass that only needs the loudness skips the 4x upsampling: the same integrated
    /// loudness, range and sample peak, and a true peak that says "not measured".
    func testWithoutTruePeakTheRestIsTheSame() throws {
        let x = peaky(seconds: 3)
        let full = try measure(x)
        let meter = try LoudnessMeter(truePeak: false)
        for c in chunks(x) { try meter.add(c) }
        let quick = try meter.finish()
        XCTAssertEqual(quick.integrated, full.integrated)
        XCTAssertEqual(quick.range, full.range)
        XCTAssertEqual(quick.samplePeak, full.samplePeak)
        XCTAssertTrue(quick.truePeak.isNaN)
        XCTAssertTrue(full.truePeak.isFinite)
    }

    func testWrongShapeThrows() throws {
        XCTAssertThrowsError(try LoudnessMeter().add([[0, 0, 0]]))
        XCTAssertThrowsError(try LoudnessMeter().add([[0, 0], [0]]))
    }

    // MARK: Gain

    func testGainIsClamped() {
        func l(_ i: Double) -> Loudness { Loudness(integrated: i, truePeak: i, samplePeak: i, range: 0) }
        XCTAssertEqual(LoudnessNormalizer.gain(for: l(-20), target: -14), 6, accuracy: 1e-9)
        XCTAssertEqual(LoudnessNormalizer.gain(for: l(-8), target: -14), -6, accuracy: 1e-9)
        XCTAssertEqual(LoudnessNormalizer.gain(for: l(-69), target: -14), 30)
        XCTAssertEqual(LoudnessNormalizer.gain(for: l(-70), target: -14), 0)
    }

    // MARK: Normalizer

    func testPureGainIsExactAndImmediate() throws {
        let x = sine(peakDB: -20, seconds: 2)
        let measured = try measure(x)
        let n = LoudnessNormalizer(measured: measured, target: -14)
        XCTAssertFalse(n.isLimiting)
        XCTAssertEqual(n.latency, 0)
        let g = Float(pow(10, n.gain / 20))
        var out: [[Float]] = [[], []]
        for c in chunks(x) {
            let y = try n.process(c)
            XCTAssertEqual(y[0].count, c[0].count)
            out[0] += y[0]; out[1] += y[1]
        }
        XCTAssertEqual(n.finish()[0].count, 0)
        XCTAssertEqual(out[0], x[0].map { $0 * g })
        XCTAssertEqual(out[1], x[1].map { $0 * g })
        XCTAssertEqual(try measure(out).integrated, -14, accuracy: 0.3)
    }

    func testLimiterKeepsTruePeakUnderTheCeiling() throws {
        let x = hotNoise(seconds: 3)
        let before = try measure(x)
        XCTAssertGreaterThan(before.truePeak, 5)
        let n = LoudnessNormalizer(gain: 0, ceiling: -2, measured: before)
        XCTAssertTrue(n.isLimiting)
        let y = try normalize(x, n)
        XCTAssertEqual(y[0].count, x[0].count)
        XCTAssertEqual(y[1].count, x[1].count)
        let after = try measure(y)
        XCTAssertLessThanOrEqual(after.truePeak, -2 + 0.05, "true peak \(after.truePeak) dBTP")
        XCTAssertLessThanOrEqual(after.samplePeak, -2)
    }

    func testLimiterLeavesSamplesAwayFromPeaksExact() throws {
        // 1 s of quiet sine, then a +6 dBFS burst: the first half second must be pure gain.
        var x = sine(peakDB: -30, seconds: 1.5)
        for i in 48000..<50000 { x[0][i] = 2 * (i % 2 == 0 ? 1 : -1); x[1][i] = x[0][i] }
        let n = LoudnessNormalizer(gain: 3, ceiling: -2)
        XCTAssertTrue(n.isLimiting)
        let y = try normalize(x, n)
        let g = Float(pow(10, 3.0 / 20))
        XCTAssertEqual(Array(y[0][0..<24000]), x[0][0..<24000].map { $0 * g })
        XCTAssertLessThanOrEqual(y[0][48000..<50000].map(abs).max()!, Float(pow(10, -2.0 / 20)))
    }

    func testImpulseStaysAtItsSample() throws {
        for (height, gain) in [(Float(0.25), 0.0), (Float(1.5), 6.0)] {
            var x: [[Float]] = [[Float](repeating: 0, count: 9000), [Float](repeating: 0, count: 9000)]
            x[0][5000] = height; x[1][5000] = -height
            let n = LoudnessNormalizer(gain: gain, ceiling: -2)   // no measurement: the limiter runs
            let y = try normalize(x, n)
            XCTAssertEqual(y[0].count, 9000)
            let peakIndex = y[0].indices.max { abs(y[0][$0]) < abs(y[0][$1]) }
            XCTAssertEqual(peakIndex, 5000, "impulse of \(height) at +\(gain) dB moved")
            XCTAssertEqual(y[1][5000], -y[0][5000])
            if height == 0.25 { XCTAssertEqual(y[0][5000], 0.25) }
            XCTAssertEqual(y[0].filter { $0 != 0 }.count, 1)
        }
    }

    func testShortInputComesOutWhole() throws {
        let x: [[Float]] = [[0.9, -0.9, 0.9], [0.1, 0.2, 0.3]]
        let n = LoudnessNormalizer(gain: 6, ceiling: -2)
        let first = try n.process(x)
        let tail = n.finish()
        XCTAssertEqual(first[0].count + tail[0].count, 3)
        XCTAssertEqual(n.finish()[0].count, 0)
    }

    /// The platform's rule is measured after encoding: normalize a transient-heavy mix to -14
    /// LUFS, encode AAC 192 kbit/s with ffmpeg, and measure with ffmpeg's own ebur128.
    func testTruePeakStaysUnderMinus1AfterAAC() throws {
        guard let ffmpeg = ["/usr/bin/ffmpeg", "/usr/local/bin/ffmpeg"].first(where: FileManager.default.isExecutableFile) else {
            if ProcessInfo.processInfo.environment["REEL_REQUIRE_TOOLS"] != nil { return XCTFail("ffmpeg not installed: Scripts/setup installs it") }
            throw XCTSkip("ffmpeg not installed")
        }
        let x = peaky(seconds: 6)
        let measured = try measure(x)
        let n = LoudnessNormalizer(measured: measured)
        XCTAssertTrue(n.isLimiting, "the test signal should need the limiter: \(measured)")
        let y = try normalize(x, n)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reel-loudness-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let raw = dir.appendingPathComponent("mix.f32"), aac = dir.appendingPathComponent("mix.m4a")
        var interleaved = [Float](); interleaved.reserveCapacity(2 * y[0].count)
        for i in y[0].indices { interleaved.append(y[0][i]); interleaved.append(y[1][i]) }
        try interleaved.withUnsafeBytes { try Data($0).write(to: raw) }
        try run(ffmpeg, ["-nostdin", "-v", "error", "-y", "-f", "f32le", "-ar", "48000", "-ac", "2", "-i", raw.path,
                         "-c:a", "aac", "-b:a", "192k", aac.path])
        let report = try run(ffmpeg, ["-nostdin", "-hide_banner", "-i", aac.path, "-af", "ebur128=peak=true", "-f", "null", "-"])
        let summary = try XCTUnwrap(report.range(of: "Summary:").map { String(report[$0.upperBound...]) }, report)
        let integrated = try XCTUnwrap(value(after: "I:", in: summary), summary)
        let truePeak = try XCTUnwrap(value(after: "Peak:", in: summary), summary)
        XCTAssertLessThanOrEqual(truePeak, -1.0, summary)
        XCTAssertEqual(integrated, -14, accuracy: 1.0, summary)
    }

    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else { throw ToolFailure(description: "ffmpeg failed: \(text.suffix(500))") }
        return text
    }

    struct ToolFailure: Error, CustomStringConvertible { let description: String }

    func value(after label: String, in text: String) -> Double? {
        guard let r = text.range(of: label) else { return nil }
        return Double(text[r.upperBound...].split(whereSeparator: \.isWhitespace).first ?? "")
    }
}
