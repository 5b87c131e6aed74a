import Foundation

/// Second pass of two-pass loudness normalization: applies a fixed gain and, only when the
/// measured true peak plus that gain would pass the ceiling, a true-peak limiter.
///
/// Streaming and sample-exact: output sample i is input sample i (no delay, A/V sync holds).
/// `process` returns output from sample 0 on, in order; while limiting it holds back the
/// limiter's `latency` samples, which `finish()` returns, so the total out equals the total in.
/// Without limiting every chunk comes straight back, the same length, as `sample × gain`.
public final class LoudnessNormalizer {
    /// Integrated loudness Douyin, TikTok, Reels and YouTube normalize to.
    public static let defaultTarget = -14.0
    /// True-peak ceiling in dBTP. Platforms ask for -1 dBTP after encoding, and AAC at 192 kbit/s
    /// adds overshoot: +0.1 to +0.2 dB on limited speech-like transients here (alimiter's faster
    /// gain changes gave +0.7 to +1.1 dB), hence 1 dB of room.
    public static let defaultCeiling = -2.0
    /// Never boost more than this (near-silence would otherwise be raised to noise).
    public static let maximumBoost = 30.0
    public static let maximumCut = -40.0

    /// Gain in dB applied to every sample.
    public let gain: Double
    /// True-peak ceiling in dBTP.
    public let ceiling: Double
    /// False when the measured true peak plus the gain stays under the ceiling: pure gain.
    public let isLimiting: Bool
    /// Samples `process` holds back (0 on the pure-gain path).
    public var latency: Int { limiter?.latency ?? 0 }

    private let linearGain: Float
    private let limiter: TruePeakLimiter?
    private var finished = false

    /// - Parameters:
    ///   - gain: dB to apply, usually `gain(for:target:)` of the first pass.
    ///   - measured: the first pass's measurement; without it the limiter always runs.
    public init(gain: Double, ceiling: Double = defaultCeiling, measured: Loudness? = nil) {
        self.gain = gain
        self.ceiling = ceiling
        linearGain = Float(pow(10, gain / 20))
        isLimiting = measured.map { !($0.truePeak + gain <= ceiling) } ?? true
        limiter = isLimiting ? TruePeakLimiter(ceilingDB: ceiling) : nil
    }

    /// Normalizes audio measured as `measured` to `target` LUFS with the true peak under `ceiling`.
    public convenience init(measured: Loudness, target: Double = defaultTarget, ceiling: Double = defaultCeiling) {
        self.init(gain: Self.gain(for: measured, target: target), ceiling: ceiling, measured: measured)
    }

    /// The gain in dB that brings `measured` to `target`: 0 for silence, at most +30 dB, at least -40 dB.
    public static func gain(for measured: Loudness, target: Double = defaultTarget) -> Double {
        guard !measured.isSilent, measured.integrated.isFinite else { return 0 }
        return min(maximumBoost, max(maximumCut, target - measured.integrated))
    }

    /// Takes the next two channels (equal length) and returns the output that is ready.
    public func process(_ channels: [[Float]]) throws -> [[Float]] {
        precondition(!finished, "LoudnessNormalizer.process after finish")
        _ = try AudioFilterGraph.validate(channels)
        let gained = channels.map { channel in channel.map { $0 * linearGain } }
        return limiter?.process(gained) ?? gained
    }

    /// Ends the stream: the samples the limiter still held (empty on the pure-gain path).
    public func finish() -> [[Float]] {
        guard !finished else { return [[], []] }
        finished = true
        return limiter?.finish() ?? [[], []]
    }
}
