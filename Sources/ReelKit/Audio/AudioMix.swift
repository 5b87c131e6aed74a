import Foundation
import ReelMedia

/// One audio layer that lives on the source timeline (the voice, the recording's own sound):
/// it is read through the edit list, so the hook carries the words spoken in it.
struct TimelineAudio {
    /// nil when the pass replays `tape` (it never reads the file).
    let reader: AudioSourceReader?
    /// Where the file's time 0 sits on the source timeline, in samples.
    let offset: Int
    /// Loop period in samples (a looping presenter's voice loops with its picture).
    let loopLength: Int?
    /// Linear gain.
    var gain: Float = 1
    /// What an earlier loudness pass read, frame by frame: replayed instead of `reader`, or
    /// recorded into when `records`.
    var tape: AudioTape? = nil
    var records = false

    func read(sourcePosition p: Int, count: Int) throws -> [[Float]] {
        guard let reader else { throw MediaError(.internalFailure, path: "", "audio read past its recorded tape") }
        let filePosition = p - offset
        guard let loop = loopLength, loop > 0, filePosition >= 0 else {
            return try reader.read(filePosition, count: count)
        }
        return try readLooped(reader, filePosition, count: count, loop: loop)
    }
}

/// Music: on the output timeline (it does not jump at cuts), looped to fill, faded in and
/// out, and lowered under the voice.
struct MusicBed {
    let reader: AudioSourceReader
    /// Loop period in samples (nil = play once).
    let loopLength: Int?
    var gain: Float
    var fadeIn: Int = AudioFormat.sampleRate / 2
    var fadeOut: Int = AudioFormat.sampleRate * 3 / 2

    func read(outputPosition p: Int, count: Int) throws -> [[Float]] {
        guard let loop = loopLength, loop > 0 else { return try reader.read(p, count: count) }
        return try readLooped(reader, p, count: count, loop: loop)
    }
}

/// Reads `count` samples of a loop of `loop` samples starting at `position`, with a short
/// fade at each seam so a loop whose length is not exactly its audio never clicks.
private func readLooped(_ reader: AudioSourceReader, _ position: Int, count: Int, loop: Int) throws -> [[Float]] {
    var out: [[Float]] = [[], []]
    var p = position
    while out[0].count < count {
        let inLoop = p % loop
        let n = min(count - out[0].count, loop - inLoop)
        var part = try reader.read(inLoop, count: n)
        let seam = min(128, loop / 4)
        for i in 0..<n {
            let at = inLoop + i
            let w: Float = at < seam ? Float(at) / Float(seam) : (at >= loop - seam ? Float(loop - at) / Float(seam) : 1)
            if w < 1 { part[0][i] *= w; part[1][i] *= w }
        }
        out[0] += part[0]; out[1] += part[1]
        p += n
    }
    return out
}

/// Sidechain ducking: music follows the voice's level, lowered by `depth` dB while the voice
/// speaks, with an attack and release that sound like an engineer riding the fader.
struct Ducker {
    var depth: Double = 12
    var attack: Double = 0.06
    var release: Double = 0.45
    /// Voice blocks louder than this (dBFS RMS) count as speech.
    var threshold: Double = -42
    private(set) var currentDB: Double = 0

    init(depth: Double) { self.depth = depth }

    /// Music gains (linear) for the samples of a block whose voice RMS is `voiceRMS`.
    mutating func gains(count: Int, voiceRMS: Double, sampleRate: Int) -> [Float] {
        let level = voiceRMS > 0 ? 20 * log10(voiceRMS) : -120
        let target = level > threshold ? -depth : 0
        let tau = target < currentDB ? attack : release
        let k = 1 - exp(-1 / (tau * Double(sampleRate)))
        var out = [Float](repeating: 1, count: count)
        for i in 0..<count {
            currentDB += (target - currentDB) * k
            out[i] = Float(pow(10, currentDB / 20))
        }
        return out
    }
}

/// Produces the output's audio, one video frame's worth at a time: the timeline layers read
/// through the edit list (with a short crossfade at each cut, so no click), the music bed on
/// the output clock and ducked under the voice, summed, then given the loudness gain.
/// Sample-exact: frame n covers samples n·spf ..< (n+1)·spf, the same span as the picture.
final class AudioMixer {
    let edit: EditList
    let samplesPerFrame: Int
    var voice: TimelineAudio?
    var screen: TimelineAudio?
    var music: MusicBed?
    var ducker: Ducker
    /// Output length in frames when known (for the music's fade-out).
    let expectedFrames: Int?
    /// Crossfade length at cuts: ~5 ms.
    let crossfade = 256
    private var nextFrame = 0

    init(edit: EditList, fps: Int, voice: TimelineAudio?, screen: TimelineAudio?, music: MusicBed?,
         duckDepth: Double, expectedFrames: Int?) {
        self.edit = edit
        samplesPerFrame = AudioFormat.sampleRate / fps
        self.voice = voice
        self.screen = screen
        self.music = music
        ducker = Ducker(depth: duckDepth)
        self.expectedFrames = expectedFrames
    }

    var isSilent: Bool { voice == nil && screen == nil && music == nil }

    /// The samples of output frame `n`, which must be the next frame (n = 0, 1, 2, …).
    func frame(_ n: Int) throws -> [[Float]] {
        precondition(n == nextFrame, "audio frames are produced in order")
        nextFrame += 1
        let count = samplesPerFrame
        var mix = [[Float]](repeating: [Float](repeating: 0, count: count), count: 2)
        guard let (segmentIndex, local) = edit.locate(frame: n) ?? lastSegmentFrame(n) else { return mix }
        var voiceSamples: [[Float]]? = nil
        for (index, layer) in [voice, screen].enumerated() {
            guard let layer else { continue }
            let samples = try layerSamples(layer, frame: n, segment: segmentIndex, local: local, count: count)
            if index == 0 { voiceSamples = samples }
            add(samples, into: &mix, gain: layer.gain)
        }
        if let music {
            var samples = try music.read(outputPosition: n * count, count: count)
            let rms = (voiceSamples.map(Self.rms) ?? 0) * Double(voice?.gain ?? 1)
            let duck = ducker.gains(count: count, voiceRMS: rms, sampleRate: AudioFormat.sampleRate)
            let total = expectedFrames.map { $0 * count }
            for i in 0..<count {
                let p = n * count + i
                var g = music.gain * duck[i]
                if p < music.fadeIn { g *= Float(p) / Float(music.fadeIn) }
                if let total, total - p < music.fadeOut { g *= Float(max(0, total - p)) / Float(music.fadeOut) }
                samples[0][i] *= g; samples[1][i] *= g
            }
            add(samples, into: &mix, gain: 1)
        }
        return mix
    }

    /// Frames past a fixed total (never expected) map to the last segment's continuation.
    private func lastSegmentFrame(_ n: Int) -> (Int, Int)? {
        guard let last = edit.segments.indices.last else { return nil }
        return (last, n - edit.segments[last].outputStart)
    }

    /// A layer's samples for frame `n`: replayed from its tape, or read (and recorded).
    private func layerSamples(_ layer: TimelineAudio, frame n: Int, segment s: Int, local: Int, count: Int) throws -> [[Float]] {
        if let tape = layer.tape, !layer.records, let samples = tape.frame(n) { return samples }
        let samples = try timelineSamples(layer, segment: s, local: local, count: count)
        if layer.records { layer.tape?.record(n, samples) }
        return samples
    }

    private func timelineSamples(_ layer: TimelineAudio, segment s: Int, local: Int, count: Int) throws -> [[Float]] {
        let sr = Double(AudioFormat.sampleRate)
        let seg = edit.segments[s]
        let start = Int((seg.sourceStart * sr).rounded()) + local * count
        // Just after a cut: crossfade from where the previous segment would have gone on
        // (read first: the reader is still there, so only the new segment needs a seek).
        var tail: [[Float]] = [[], []]
        if s > 0, local * count < crossfade, let prevFrames = edit.segments[s - 1].frames {
            let prev = edit.segments[s - 1]
            let prevEnd = Int((prev.sourceStart * sr).rounded()) + prevFrames * count
            tail = try layer.read(sourcePosition: prevEnd + local * count, count: min(count, crossfade - local * count))
        }
        var samples = try layer.read(sourcePosition: start, count: count)
        if !tail[0].isEmpty {
            for i in 0..<tail[0].count {
                let w = Float(local * count + i) / Float(crossfade)
                for c in 0..<2 { samples[c][i] = samples[c][i] * w + tail[c][i] * (1 - w) }
            }
        }
        return samples
    }

    private func add(_ samples: [[Float]], into mix: inout [[Float]], gain: Float) {
        for c in 0..<2 {
            for i in 0..<min(mix[c].count, samples[c].count) { mix[c][i] += samples[c][i] * gain }
        }
    }

    static func rms(_ samples: [[Float]]) -> Double {
        var sum = 0.0
        var n = 0
        for ch in samples { for v in ch { sum += Double(v) * Double(v) }; n += ch.count }
        return n > 0 ? (sum / Double(n)).squareRoot() : 0
    }
}
