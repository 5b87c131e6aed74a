import Foundation

/// A linked-stereo look-ahead limiter that keeps the true peak (4x oversampled) of its output
/// at or below a ceiling, and leaves every sample not near a peak bit-for-bit unchanged.
///
/// Why not libavfilter's `alimiter`: it limits sample peaks only, so inter-sample overs pass
/// (and its `level` option, on by default, rescales the whole output).
///
/// How: for each sample n the gain it may have is `required[n] = ceiling / peak`, where peak is
/// the largest |value| of the 4x-interpolated signal on both sides of n (both channels). The
/// applied gain is a `lookahead`-long moving average of the running minimum of `required` over
/// the next `lookahead` samples (after an exponential release): every sample in the average is
/// at most `required[n]`, so the gain at n never exceeds it, and it ramps down smoothly before
/// a peak instead of clipping. Output lags input by `latency` samples; the owner re-aligns it.
final class TruePeakLimiter {
    /// Linear ceiling.
    let ceiling: Double
    let lookahead: Int
    /// Samples the output lags the input: the look-ahead plus the interpolator's half length.
    var latency: Int { lookahead - 1 + Self.halfTaps }

    static let halfTaps = 16
    /// Interpolation kernels for positions n+1/4, n+2/4, n+3/4: taps for x[n-15] ... x[n+16].
    private static let phases: [[Double]] = (1...3).map { kernel(offset: Double($0) / 4) }
    private let releaseStep: Double

    /// Input from index `inputBase` (which starts at -halfTaps: zeros before the stream).
    private var input: [[Float]] = [[Float](repeating: 0, count: halfTaps), [Float](repeating: 0, count: halfTaps)]
    private var inputBase = -halfTaps
    /// Next index n whose inter-sample peak (n, n+1) is computed; -1 covers the gap before sample 0.
    private var nextPeak = -1
    private var previousPeak = 0.0
    /// Peaks before `quietUntil` cannot pass the ceiling (every sample they read is small);
    /// `checkAt` is where the next block of peaks is tested.
    private var quietUntil = -1, checkAt = -1
    /// The most a peak can be, as a multiple of the largest |sample| in its window: the largest
    /// sum of |taps| of the three kernels, with a margin far above any rounding of the sum.
    private static let peakPerSample = phases.map { $0.reduce(0) { $0 + abs($1) } }.max()! * (1 + 1e-9)
    /// Peaks tested together for a quiet block.
    private static let quietBlock = 32
    /// Indices with a known `required` gain, kept increasing in value for the running minimum.
    private var minimum: [(index: Int, gain: Double)] = []
    private var minimumHead = 0
    private var release = 1.0
    /// The last `lookahead` held gains, their sum and how many are below 1.
    private var ring: [Double]
    private var ringPosition = 0
    private var ringSum: Double
    private var ringBelowOne = 0
    /// Next output index.
    private var emitted = 0

    init(ceilingDB: Double, lookahead: Int = 240, releaseSeconds: Double = 0.08, sampleRate: Int = 48000) {
        ceiling = pow(10, ceilingDB / 20)
        self.lookahead = lookahead
        releaseStep = 1 - exp(-1 / (releaseSeconds * Double(sampleRate)))
        ring = [Double](repeating: 1, count: lookahead)
        ringSum = Double(lookahead)
    }

    /// Takes the next samples and returns the output that became ready (from index 0 on, in order).
    func process(_ channels: [[Float]]) -> [[Float]] {
        input[0] += channels[0]
        input[1] += channels[1]
        return run()
    }

    /// Pushes silence through the look-ahead and returns the rest of the output, ending exactly
    /// at the last input sample.
    func finish() -> [[Float]] {
        let end = inputBase + input[0].count
        let tail = [Float](repeating: 0, count: latency)
        input[0] += tail
        input[1] += tail
        var out = run()
        let extra = emitted - end
        if extra > 0 { out = out.map { Array($0.dropLast(extra)) } }
        emitted = end
        return out
    }

    private func run() -> [[Float]] {
        let available = inputBase + input[0].count   // one past the last index held
        var out: [[Float]] = [[], []]
        out[0].reserveCapacity(max(0, available - emitted))
        out[1].reserveCapacity(max(0, available - emitted))
        input[0].withUnsafeBufferPointer { left in
            input[1].withUnsafeBufferPointer { right in
                while nextPeak + Self.halfTaps < available {
                    let n = nextPeak
                    if n >= checkAt { testQuiet(left, right, from: n, available: available) }
                    // A peak that cannot pass the ceiling only ever counts as "not over it" (below,
                    // `worst > ceiling`), so 0 stands for it: the gains and output stay exact.
                    let peak = n < quietUntil ? 0 : max(Self.peakAfter(left, n - inputBase), Self.peakAfter(right, n - inputBase))
                    nextPeak += 1
                    defer { previousPeak = peak }
                    guard n >= 0 else { continue }
                    // Sample n bounds the curve on both sides: (n-1, n] and [n, n+1).
                    let worst = max(peak, previousPeak)
                    push(n, worst > ceiling ? ceiling / worst : 1)
                    // Gains before sample 0 are computed too: they enter the average at m >= 0.
                    let m = n - lookahead + 1
                    let gain = gain(at: m)
                    guard m >= 0 else { continue }
                    let i = m - inputBase
                    if gain == 1 {
                        out[0].append(left[i]); out[1].append(right[i])
                    } else {
                        out[0].append(Float(Double(left[i]) * gain)); out[1].append(Float(Double(right[i]) * gain))
                    }
                    emitted = m + 1
                }
            }
        }
        // Keep what the interpolator still needs behind the next peak to compute.
        let keepFrom = min(emitted, nextPeak - Self.halfTaps + 1)
        let drop = keepFrom - inputBase
        if drop > 4096 {
            input[0].removeFirst(drop)
            input[1].removeFirst(drop)
            inputBase = keepFrom
        }
        return out
    }

    /// Marks the block of peaks from n quiet when every sample their interpolation reads (both
    /// channels) is small enough that even `peakPerSample` times it stays at the ceiling: most
    /// of normalized speech, so the 4x interpolation runs only near loud samples.
    private func testQuiet(_ left: UnsafeBufferPointer<Float>, _ right: UnsafeBufferPointer<Float>, from n: Int, available: Int) {
        // Peaks n ..< n + count read samples first ..< end (fewer peaks when less is held).
        let end = min(n + Self.quietBlock + Self.halfTaps, available), first = n - Self.halfTaps + 1
        checkAt = end - Self.halfTaps
        var largest: Float = 0
        for j in (first - inputBase)..<(end - inputBase) { largest = max(largest, left[j].magnitude, right[j].magnitude) }
        if Double(largest) * Self.peakPerSample <= ceiling { quietUntil = checkAt }
    }

    /// Adds `required[n]` to the running minimum over the next `lookahead` samples.
    private func push(_ n: Int, _ required: Double) {
        while minimum.count > minimumHead, minimum[minimum.count - 1].gain >= required { minimum.removeLast() }
        minimum.append((n, required))
        if minimumHead > 1024 { minimum.removeFirst(minimumHead); minimumHead = 0 }
    }

    /// The applied gain at m, once `required` is known up to m + lookahead - 1.
    private func gain(at m: Int) -> Double {
        while minimum[minimumHead].index < m { minimumHead += 1 }
        let held = minimum[minimumHead].gain
        var released = release + (1 - release) * releaseStep
        if 1 - released < 1e-6 { released = 1 }   // reach exactly 1, so untouched samples stay exact
        release = min(held, released)
        let old = ring[ringPosition]
        ring[ringPosition] = release
        ringPosition = ringPosition + 1 == lookahead ? 0 : ringPosition + 1
        ringSum += release - old
        ringBelowOne += (release < 1 ? 1 : 0) - (old < 1 ? 1 : 0)
        if ringBelowOne == 0 { ringSum = Double(lookahead); return 1 }
        return min(1, ringSum / Double(lookahead))
    }

    /// The largest |value| at i, i+1/4, i+2/4, i+3/4 of the band-limited curve through x.
    private static func peakAfter(_ x: UnsafeBufferPointer<Float>, _ i: Int) -> Double {
        var a = 0.0, b = 0.0, c = 0.0
        let taps = 2 * halfTaps
        let start = x.baseAddress! + (i - halfTaps + 1)
        flatKernels.withUnsafeBufferPointer { k in
            let k1 = k.baseAddress!, k2 = k1 + taps, k3 = k2 + taps
            for j in 0..<taps {
                let v = Double(start[j])
                a += v * k1[j]; b += v * k2[j]; c += v * k3[j]
            }
        }
        return max(abs(Double(x[i])), abs(a), abs(b), abs(c))
    }

    /// The three kernels one after the other, read in one pass per sample.
    private static let flatKernels: [Double] = phases.flatMap { $0 }

    /// A Kaiser-windowed sinc (beta 9, 32 taps: libswresample's default design) evaluated at `offset` from sample 0, unity DC gain.
    private static func kernel(offset: Double) -> [Double] {
        let h = Double(halfTaps), beta = 9.0
        func bessel0(_ x: Double) -> Double {
            var sum = 1.0, term = 1.0
            for k in 1..<40 { term *= (x / (2 * Double(k))) * (x / (2 * Double(k))); sum += term }
            return sum
        }
        var taps = ((-halfTaps + 1)...halfTaps).map { j -> Double in
            let u = offset - Double(j)
            let sinc = u == 0 ? 1 : sin(Double.pi * u) / (Double.pi * u)
            let r = u / h
            return sinc * (abs(r) < 1 ? bessel0(beta * (1 - r * r).squareRoot()) / bessel0(beta) : 0)
        }
        let dc = taps.reduce(0, +)
        taps = taps.map { $0 / dc }
        return taps
    }
}
