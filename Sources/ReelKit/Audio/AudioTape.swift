/// Audio recorded one video frame at a time by one loudness pass, so the next pass replays
/// the very same samples instead of decoding, resampling (and mixing) them again. The
/// loudness passes read each source in the same order, so a replay is sample-identical.
/// Float, not s16: a replay must give back exactly what was read (s16 would round).
final class AudioTape {
    let samplesPerFrame: Int
    private var left: [Float] = [], right: [Float] = []
    /// Frames recorded so far (frames the recorder never read hold silence).
    var frames: Int { left.count / samplesPerFrame }

    init(samplesPerFrame: Int, expectedFrames: Int) {
        self.samplesPerFrame = samplesPerFrame
        // One allocation of the final size: no doubling garbage left behind in the heap.
        left.reserveCapacity(expectedFrames * samplesPerFrame)
        right.reserveCapacity(expectedFrames * samplesPerFrame)
    }

    /// Bytes a tape of `frames` frames holds.
    static func bytes(frames: Int, samplesPerFrame: Int) -> Int { frames * samplesPerFrame * 2 * MemoryLayout<Float>.size }

    /// Keeps `samples` (one frame's worth: [left, right]) as frame `n`, n >= `frames`.
    func record(_ n: Int, _ samples: [[Float]]) {
        precondition(n >= frames && samples.count == 2 && samples[0].count == samplesPerFrame, "a tape records whole frames in order")
        let gap = (n - frames) * samplesPerFrame
        if gap > 0 {
            left.append(contentsOf: repeatElement(0, count: gap))
            right.append(contentsOf: repeatElement(0, count: gap))
        }
        left.append(contentsOf: samples[0])
        right.append(contentsOf: samples[1])
    }

    /// Frame `n` as recorded; nil when the recorder never got that far.
    func frame(_ n: Int) -> [[Float]]? {
        guard n >= 0, n < frames else { return nil }
        let r = n * samplesPerFrame..<(n + 1) * samplesPerFrame
        return [Array(left[r]), Array(right[r])]
    }
}
