import Foundation
import ReelMedia

/// Random access to one file's audio as 48 kHz stereo samples, by sample position on the
/// file's own clock (0 = `origin` seconds of the file). Reading forward is sequential
/// decoding; a read behind the buffer or far ahead seeks. Positions outside the audio
/// read as silence. This is what lets every audio layer follow an edit list sample-exactly.
final class AudioSourceReader {
    let path: String
    let sampleRate = AudioFormat.sampleRate
    private let demuxer: Demuxer
    private let decoder: Decoder
    /// Damaged audio packets are concealed as gaps by the standard rule, not a failed render.
    private let frames: DecodedFrames
    private let origin: Double
    private var resampler: Resampler
    private var timeline: AudioTimeline
    /// Decoded samples from `bufferStart` on.
    private var left: [Float] = [], right: [Float] = []
    private var bufferStart = 0
    private var ended = false

    /// nil when the file has no audio stream.
    init?(path: String, origin: Double? = nil) throws {
        let demuxer = try Demuxer(path: path)
        guard let index = demuxer.bestStream(.audio) else { return nil }
        self.path = path
        self.demuxer = demuxer
        decoder = try Decoder(demuxer, stream: index, threads: 1)
        frames = DecodedFrames(demuxer, decoder: decoder)
        self.origin = origin ?? demuxer.startTime(of: index)
        resampler = Resampler(outputRate: AudioFormat.sampleRate)
        timeline = AudioTimeline(sampleRate: AudioFormat.sampleRate)
    }

    var bufferEnd: Int { bufferStart + left.count }

    /// `count` samples from `position` (may be negative): [left, right].
    func read(_ position: Int, count: Int) throws -> [[Float]] {
        if position < bufferStart || position > bufferEnd + 4 * sampleRate { try seek(to: position) }
        while bufferEnd < position + count && !ended { try decodeMore() }
        var l = [Float](repeating: 0, count: count), r = l
        let lo = max(position, bufferStart), hi = min(position + count, bufferEnd)
        if lo < hi {
            for i in lo..<hi {
                l[i - position] = left[i - bufferStart]
                r[i - position] = right[i - bufferStart]
            }
        }
        // Keep a little behind the read point (crossfades read just behind a cut).
        let keepFrom = position - sampleRate / 10
        if keepFrom - bufferStart > 1 << 16 {
            let drop = min(left.count, keepFrom - bufferStart)
            left.removeFirst(drop); right.removeFirst(drop)
            bufferStart += drop
        }
        return [l, r]
    }

    private func seek(to position: Int) throws {
        let seconds = max(0, Double(position) / Double(sampleRate) - 0.25)
        try demuxer.seek(to: origin + seconds)
        frames.restart()
        resampler = Resampler(outputRate: sampleRate)
        // Samples before the seek point are dropped; a first frame after it is preceded by silence.
        timeline = AudioTimeline(sampleRate: sampleRate)
        bufferStart = Int((seconds * Double(sampleRate)).rounded())
        left = []; right = []
        ended = false
        seekOrigin = origin + seconds
    }
    private var seekOrigin: Double?

    private func decodeMore() throws {
        let base = seekOrigin ?? origin
        let baseSamples = Int(((base - origin) * Double(sampleRate)).rounded())
        func place(_ channels: [[Float]], at seconds: Double?) {
            for chunk in timeline.place(channels, at: seconds.map { $0 - base }) {
                let at = baseSamples + chunk.position
                if at > bufferEnd {   // a gap: silence
                    left.append(contentsOf: repeatElement(0, count: at - bufferEnd))
                    right.append(contentsOf: repeatElement(0, count: at - bufferEnd))
                }
                let skip = max(0, bufferEnd - at)
                guard skip < chunk.channels[0].count else { continue }
                left.append(contentsOf: chunk.channels[0][skip...])
                right.append(contentsOf: chunk.channels[1][skip...])
            }
        }
        guard let batch = try frames.nextBatch() else {
            place(try resampler.flush(), at: nil)
            ended = true
            return
        }
        for frame in batch.frames {
            place(try resampler.convert(frame), at: frame.seconds(in: decoder.timeBase))
        }
    }
}
