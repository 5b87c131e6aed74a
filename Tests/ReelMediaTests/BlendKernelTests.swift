import CReelShims
import XCTest

/// The vectorized blend kernel must give exactly what the per-pixel arithmetic gave (the
/// golden frames were made with it): d + ((s - d) * a + 127) / 255, truncated towards zero.
final class BlendKernelTests: XCTestCase {
    private func reference(_ d: Int, _ s: Int, alpha: Int, k: Int, opaqueCopies: Bool) -> UInt8 {
        let a = (alpha * k) >> 8
        if a == 0 { return UInt8(d) }
        if opaqueCopies, a == 255 { return UInt8(s) }
        return UInt8(d + ((s - d) * a + 127) / 255)
    }

    func testBlendRowMatchesThePerPixelArithmetic() {
        let alphas = (0..<256).map { UInt8($0) }
        var mismatches = 0
        for k in [256, 255, 128, 77, 1] {
            for opaque in [false, true] {
                for d in stride(from: 0, through: 255, by: 15) {
                    for s in stride(from: 0, through: 255, by: 5) {
                        var dst = [UInt8](repeating: UInt8(d), count: 256)
                        let src = [UInt8](repeating: UInt8(s), count: 256)
                        reel_blend_row(&dst, src, alphas, 256, Int32(k), opaque ? 1 : 0)
                        for a in 0..<256 where dst[a] != reference(d, s, alpha: a, k: k, opaqueCopies: opaque) {
                            mismatches += 1
                        }
                    }
                }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testRunsOfClearAndOpaqueAlphaMatchThePerPixelArithmetic() {
        // The kernel skips 16 samples of alpha 0 and copies 16 of 255: rows made of such runs,
        // mixed runs and single odd samples, at every offset and length, must still give the
        // arithmetic's result (a run copied when it must not be, or skipped, would show).
        var rng = SystemRandomNumberGenerator()
        let runs: [[UInt8]] = [[0], [255], [254], [1], [128]]
        var mismatches = 0
        for trial in 0..<300 {
            var alpha: [UInt8] = []
            while alpha.count < 80 {
                let value = runs[Int.random(in: 0..<runs.count, using: &rng)][0]
                alpha += [UInt8](repeating: value, count: [1, 7, 8, 15, 16, 17, 32][Int.random(in: 0..<7, using: &rng)])
            }
            let count = Int.random(in: 1...alpha.count, using: &rng)
            let src = (0..<alpha.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let before = (0..<alpha.count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let k = [256, 255, 200][trial % 3], opaque = trial % 2 == 0
            var dst = before
            reel_blend_row(&dst, src, alpha, Int32(count), Int32(k), opaque ? 1 : 0)
            for i in 0..<alpha.count {
                let want = i < count ? reference(Int(before[i]), Int(src[i]), alpha: Int(alpha[i]), k: k, opaqueCopies: opaque) : before[i]
                if dst[i] != want { mismatches += 1 }
            }
        }
        XCTAssertEqual(mismatches, 0)
    }

    func testChromaAlphaIsTheRoundedMeanOfItsLumaBlock() {
        // An odd luma width: the last chroma column covers one luma column, clamped.
        let width = 7
        let a0: [UInt8] = [0, 255, 10, 20, 30, 41, 200], a1: [UInt8] = [255, 255, 1, 2, 3, 4, 99]
        for first in 0..<4 {
            let count = 4 - first
            var out = [UInt8](repeating: 0, count: count)
            reel_chroma_alpha_row(&out, a0, a1, Int32(first), Int32(count), Int32(width))
            for i in 0..<count {
                let c0 = 2 * (first + i), c1 = min(c0 + 1, width - 1)
                let expected = (Int(a0[c0]) + Int(a0[c1]) + Int(a1[c0]) + Int(a1[c1]) + 2) >> 2
                XCTAssertEqual(Int(out[i]), expected, "chroma column \(first + i)")
            }
        }
    }
}
