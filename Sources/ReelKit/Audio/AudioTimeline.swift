import Foundation

/// Places resampled audio on the output's sample clock. Decoded audio is treated as one
/// continuous stream (so timestamp jitter never adds or drops samples) and re-anchored to
/// its timestamps only at a real gap or overlap larger than `tolerance` seconds, which
/// becomes silence or is dropped. Samples before the output start are dropped.
struct AudioTimeline {
    let sampleRate: Int
    let tolerance: Double
    /// Output position (in samples, 0 = output start) of the next sample to come in.
    private var cursor: Int?

    init(sampleRate: Int, tolerance: Double = 0.1) {
        self.sampleRate = sampleRate
        self.tolerance = tolerance
    }

    /// A run of stereo samples and the output position of its first sample.
    struct Chunk { var position: Int; var channels: [[Float]] }

    /// Takes samples whose first one belongs at `seconds` (relative to the output start).
    /// Returns them placed, with any silence needed before them as a separate chunk.
    mutating func place(_ channels: [[Float]], at seconds: Double?) -> [Chunk] {
        let count = channels.first?.count ?? 0
        guard count > 0 else { return [] }
        var position = cursor ?? Int(((seconds ?? 0) * Double(sampleRate)).rounded())
        var chunks: [Chunk] = []
        if let seconds, let current = cursor {
            let ideal = Int((seconds * Double(sampleRate)).rounded())
            if abs(ideal - current) > Int(tolerance * Double(sampleRate)) { position = ideal }
        }
        if cursor == nil, position > 0 {
            // The audio starts after the picture: silence until it does.
            chunks.append(Chunk(position: 0, channels: silence(position)))
        } else if let current = cursor, position > current {
            chunks.append(Chunk(position: current, channels: silence(position - current)))
        }
        var samples = channels
        var start = position
        if let current = cursor, start < current {
            // Overlap after a backward jump: keep continuity, drop what was already covered.
            let drop = min(count, current - start)
            samples = samples.map { Array($0.dropFirst(drop)) }
            start = current
        }
        if start < 0 {
            let drop = min(samples[0].count, -start)
            samples = samples.map { Array($0.dropFirst(drop)) }
            start += drop
        }
        cursor = position + count
        if cursor! < start { cursor = start }
        if let first = samples.first, !first.isEmpty {
            chunks.append(Chunk(position: start, channels: samples))
        }
        return chunks
    }

    private func silence(_ n: Int) -> [[Float]] {
        [[Float](repeating: 0, count: n), [Float](repeating: 0, count: n)]
    }
}
