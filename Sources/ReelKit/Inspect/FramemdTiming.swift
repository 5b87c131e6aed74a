import Foundation
import ReelMedia

/// The timestamps `ffmpeg -i X -map 0:v -f framemd5 -` writes (FFmpeg 5.1's fftools): the
/// rawvideo encoder's time base is 1/frame rate (av_guess_frame_rate; 25 when unknown), and
/// framemd5 takes variable-rate video (vsync vfr): each frame lands on the nearest tick
/// after the previous one, is dropped when it would land a whole tick early, and lasts 1.
/// Reproduced step by step (do_video_out / adjust_frame_pts_to_encoder_tb) so `reel hash`
/// writes the same lines, not only the same hashes.
struct FramemdTiming {
    /// The encoder time base: 1/frame rate.
    let timeBase: Rational
    private let streamTimeBase: Rational
    /// The container's start time (µs), subtracted from every timestamp as ffmpeg does.
    private let startOffset: Int64
    private var nextPTS: Int64 = 0

    init(frameRate: Rational?, streamTimeBase: Rational, containerStart: Int64?) {
        let rate = frameRate.flatMap { $0.num > 0 && $0.den > 0 ? $0 : nil } ?? Rational(25, 1)
        timeBase = Rational(rate.den, rate.num)
        self.streamTimeBase = streamTimeBase
        startOffset = containerStart ?? 0
    }

    /// The output pts of a frame with presentation time `pts` (stream time base) and packet
    /// duration `duration`, or nil when ffmpeg drops it.
    mutating func place(pts: Int64, duration: Int64?) -> Int64? {
        let shifted = pts - Self.rescale(startOffset, Rational(1, 1_000_000), streamTimeBase)
        let extraBits = min(max(29 - Self.log2(timeBase.den), 0), 16)
        let fine = Rational(timeBase.num, timeBase.den << extraBits)
        var syncPTS = Double(Self.rescale(shifted, streamTimeBase, fine)) / Double(1 << extraBits)
        syncPTS += (syncPTS > 0 ? 1 : syncPTS < 0 ? -1 : 0) / Double(1 << 17)
        var length = 1 / (Double(timeBase.den) / Double(timeBase.num) * timeBase.value)
        if let d = duration {
            let ticks = Float(Double(d) * streamTimeBase.value / timeBase.value).rounded(.toNearestOrEven)
            if ticks > 0 { length = Double(ticks) }
        }
        var delta0 = syncPTS - Double(nextPTS)
        let delta = delta0 + length
        if delta0 < 0, delta > 0 {
            syncPTS = Double(nextPTS)
            delta0 = 0
        }
        if delta <= -0.6 { return nil }
        if delta > 0.6 { nextPTS = Int64(syncPTS.rounded(.toNearestOrEven)) }   // llrint
        defer { nextPTS += 1 }
        return nextPTS
    }

    /// av_rescale_q with AV_ROUND_NEAR_INF, in 128-bit integers so it is exact.
    static func rescale(_ a: Int64, _ from: Rational, _ to: Rational) -> Int64 {
        let b = Int128(from.num) * Int128(to.den), c = Int128(from.den) * Int128(to.num)
        guard c != 0 else { return 0 }
        let product = Int128(a) * b
        let magnitude = (abs(product) + c / 2) / c
        return Int64(product < 0 ? -magnitude : magnitude)
    }

    static func log2(_ v: Int) -> Int { v > 0 ? Int.bitWidth - 1 - v.leadingZeroBitCount : 0 }
}
