import Foundation
import ReelMedia

/// The audio of a render, decided before the first frame: which sources play (the voice:
/// `--voice` or the presenter's sound; the recording's own sound; music), their levels,
/// and the loudness gain. Levels are measured in passes over the whole mix (audio is cheap
/// to decode twice), so the render's own pass is exact rather than a pumping compressor.
final class AudioPlan {
    let options: RenderOptions
    let edit: EditList
    typealias Source = AudioSources.Source
    let voice: Source?
    let screen: Source?
    let music: Source?
    let musicLoop: Double?
    private(set) var voiceGain: Float = 1
    private(set) var screenGain: Float = 1
    private(set) var musicGain: Float = 1
    private(set) var mixGain: Double = 0
    private(set) var summary: String?

    /// The plan for sources a planner chose (`RenderJob.audio`); levels are measured by `measure`.
    init(options o: RenderOptions, edit: EditList, sources: AudioSources) {
        options = o
        self.edit = edit
        voice = sources.voice
        screen = sources.screen
        music = sources.music
        musicLoop = sources.musicLoop
    }

    /// Speech sits here before the final gain: music is set relative to it, so the
    /// balance does not depend on how loud each file was recorded.
    static let speechReference = -16.0

    /// Pass 1 measures each layer alone and levels it; pass 2 measures the whole mix
    /// (ducking included) for the final gain. Both read exactly what the render will.
    func measure(expectedFrames: Int) throws {
        let o = options
        func gain(_ db: Double) -> Float { Float(pow(10, max(-40, min(30, db)) / 20)) }
        /// The loudness of `expectedFrames` video frames of samples, then what `rest` still holds
        /// (a limiter's look-ahead); a look-ahead's early calls may return nothing.
        /// Only the mix's own pass reads a true peak (whether the limiter runs); the others
        /// skip its 4x upsampling.
        func loudness(truePeak: Bool = false, _ frame: (Int) throws -> [[Float]], rest: () throws -> [[Float]] = { [[], []] }) throws -> Loudness {
            let meter = try LoudnessMeter(truePeak: truePeak)
            func add(_ samples: [[Float]]) throws { if !(samples.first?.isEmpty ?? true) { try meter.add(samples) } }
            for n in 0..<expectedFrames { try add(try frame(n)) }   // streaming: one frame held at a time
            try add(try rest())
            return try meter.finish()
        }
        func loudness(of mixer: AudioMixer) throws -> Loudness { try loudness(mixer.frame) }
        func loudness(of renderer: AudioRenderer) throws -> Loudness { try loudness({ _ in try renderer.next() }, rest: renderer.finish) }
        // Tapes, within `tapeBudget`: the mix first (the limiter's check passes replay it up to
        // 4 times), then the voice and the recording's sound (each read alone, then in the mix).
        var budget = tapeBudget
        func tape() -> AudioTape? {
            let spf = AudioFormat.sampleRate / o.fps, size = AudioTape.bytes(frames: expectedFrames, samplesPerFrame: spf)
            guard expectedFrames > 0, size <= budget else { return nil }
            budget -= size
            return AudioTape(samplesPerFrame: spf, expectedFrames: expectedFrames)
        }
        let mixTape = tape()
        let tapes = Tapes(voice: voice == nil ? nil : tape(), screen: screen == nil ? nil : tape())
        var parts: [String] = []
        if voice != nil {
            let l = try loudness(of: makeMixer(expectedFrames: expectedFrames, only: .voice, tapes: tapes))
            if !l.isSilent { voiceGain = gain(Self.speechReference - l.integrated) }
            parts.append(String(format: "voice %.1f LUFS", l.integrated))
        }
        if screen != nil {
            let l = try loudness(of: makeMixer(expectedFrames: expectedFrames, only: .screen, tapes: tapes))
            // Under a voice the recording's sound is a bed 10 dB down; alone it is the voice.
            if !l.isSilent { screenGain = gain(Self.speechReference - (voice == nil ? 0 : 10) - l.integrated) }
            parts.append(String(format: "recording %.1f LUFS", l.integrated))
        }
        if let m = music, let l = try LoudnessMeter.measure(path: m.path, truePeak: false), !l.isSilent {
            let level = (voice == nil && screen == nil) ? Self.speechReference : Self.speechReference + o.musicVolume
            musicGain = gain(level - l.integrated)
            parts.append(String(format: "music %.1f LUFS", l.integrated))
        }
        if (tapes.voice?.frames ?? 0) > 0 || (tapes.screen?.frames ?? 0) > 0 { tapedPasses += 1 }
        let mixer = try makeMixer(expectedFrames: expectedFrames, tapes: tapes)
        let mix = try loudness(truePeak: true) { n in
            let samples = try mixer.frame(n)
            mixTape?.record(n, samples)
            return samples
        }
        mixLoudness = mix
        var normalizer = LoudnessNormalizer(measured: mix, target: o.loudness, ceiling: ceiling)
        var result = mix.isSilent ? mix.integrated : o.loudness
        // The limiter takes loudness off with the peaks (0.8 LU on the example's espeak voice),
        // so a limited mix is measured again after it and the gain corrected: secant steps on
        // measured (gain, loudness) pairs, keeping the gain whose measurement came closest.
        var passes = 0
        var tried: [(gain: Double, loudness: Double)] = []
        while normalizer.isLimiting, !mix.isSilent, passes < Self.limiterPasses {
            passes += 1
            if mixTape != nil { tapedPasses += 1 }
            let limited = try loudness(of: mixTape.map { AudioRenderer(tape: $0, normalizer: normalizer) }
                                       ?? AudioRenderer(mixer: makeMixer(expectedFrames: expectedFrames), normalizer: normalizer))
            guard limited.integrated.isFinite else { break }
            tried.append((normalizer.gain, limited.integrated))
            let missing = o.loudness - limited.integrated
            if abs(missing) <= Self.loudnessTolerance || passes == Self.limiterPasses { break }
            // dLoudness/dGain is 1 without limiting and falls as the limiter works harder.
            var slope = 1.0
            if tried.count >= 2 {
                let (a, b) = (tried[tried.count - 2], tried[tried.count - 1])
                if b.gain != a.gain { slope = min(1, max(0.2, (b.loudness - a.loudness) / (b.gain - a.gain))) }
            }
            let next = min(LoudnessNormalizer.maximumBoost, normalizer.gain + missing / slope)
            guard next != normalizer.gain else { break }
            normalizer = LoudnessNormalizer(gain: next, ceiling: ceiling, measured: mix)
        }
        if let best = tried.min(by: { abs($0.loudness - o.loudness) < abs($1.loudness - o.loudness) }) {
            if best.gain != normalizer.gain { normalizer = LoudnessNormalizer(gain: best.gain, ceiling: ceiling, measured: mix) }
            result = best.loudness
        }
        mixGain = normalizer.gain
        summary = String(format: "%.1f LUFS integrated (mix measured %.1f, gain %+.1f dB; %@), true peak ceiling %.1f dBTP%@",
                         result, mix.integrated, mixGain,
                         parts.isEmpty ? "silence" : parts.joined(separator: ", "), ceiling,
                         normalizer.isLimiting ? ", limiter on" + (passes > 0 ? " (\(passes) check pass\(passes == 1 ? "" : "es"))" : "") : "")
    }
    /// Bytes of 48 kHz float tapes `measure` may hold (freed before the render starts): 64 MiB
    /// tapes all three layers of an 58 s render; a longer one re-decodes what does not fit.
    static let defaultTapeBudget = 64 << 20
    var tapeBudget = AudioPlan.defaultTapeBudget
    /// Passes of `measure` that replayed a tape instead of decoding (for tests).
    private(set) var tapedPasses = 0
    /// Extra passes through the limiter to land on the target, and how close is close enough.
    static let limiterPasses = 4
    static let loudnessTolerance = 0.15
    private(set) var mixLoudness: Loudness?
    /// Aim below the platform's -1 dBTP: AAC encoding adds a few tenths of a dB of peak.
    var ceiling: Double { options.truePeak - 1 }

    /// The recording's audio keeps sync with its picture: time 0 is the video's start.
    static func videoOrigin(_ path: String) -> Double? {
        guard let d = try? Demuxer(path: path), let v = d.bestStream(.video) else { return nil }
        return d.startTime(of: v)
    }

    enum Only { case voice, screen }

    /// Tapes of the voice and the recording's sound the loudness passes replay (nil: not taped).
    struct Tapes {
        var voice: AudioTape?
        var screen: AudioTape?
    }

    /// `tapes` (measure's passes only): a layer with a tape replays it when it holds frames,
    /// else reads its file and records into it.
    func makeMixer(expectedFrames: Int?, only: Only? = nil, tapes: Tapes = Tapes()) throws -> AudioMixer {
        let sr = Double(AudioFormat.sampleRate)
        func timeline(_ s: Source?, gain: Float, tape: AudioTape?) throws -> TimelineAudio? {
            guard let s else { return nil }
            let replay = (tape?.frames ?? 0) > 0
            let reader = replay ? nil : try AudioSourceReader(path: s.path, origin: s.origin)
            // A tape is only ever recorded from a file with sound, so replay means the layer plays.
            guard replay || reader != nil else { return nil }
            return TimelineAudio(reader: reader, offset: Int((s.offset * sr).rounded()), loopLength: s.loop.map { Int(($0 * sr).rounded()) },
                                 gain: gain, tape: tape, records: !replay && tape != nil)
        }
        var bed: MusicBed? = nil
        if only == nil, let m = music, let reader = try AudioSourceReader(path: m.path) {
            bed = MusicBed(reader: reader, loopLength: musicLoop.map { Int(($0 * sr).rounded()) }, gain: musicGain)
        }
        return AudioMixer(edit: edit, fps: options.fps, voice: only == .screen ? nil : try timeline(voice, gain: only == nil ? voiceGain : 1, tape: tapes.voice),
                          screen: only == .voice ? nil : try timeline(screen, gain: only == nil ? screenGain : 1, tape: tapes.screen), music: bed,
                          duckDepth: options.duckDepth, expectedFrames: expectedFrames)
    }

    /// The mix as the render encodes it, one video frame of samples at a time.
    func makeRenderer(expectedFrames: Int) throws -> AudioRenderer {
        let normalizer = mixLoudness.map { LoudnessNormalizer(gain: mixGain, ceiling: ceiling, measured: $0) }
            ?? LoudnessNormalizer(gain: 0, ceiling: ceiling)
        return AudioRenderer(mixer: try makeMixer(expectedFrames: expectedFrames), normalizer: normalizer)
    }
}

/// Pulls the mixer frame by frame through the loudness normalizer (gain, and a true-peak
/// limiter when the gain would push peaks over the ceiling). The limiter looks ahead, so
/// early calls may return fewer samples; `finish` returns the rest: in total, sample-exact.
final class AudioRenderer {
    let normalizer: LoudnessNormalizer
    let samplesPerFrame: Int
    /// The mix of frame n: the mixer, or a tape of it a loudness pass recorded.
    private let mix: (Int) throws -> [[Float]]
    private var frame = 0

    init(mixer: AudioMixer, normalizer: LoudnessNormalizer) {
        self.normalizer = normalizer
        samplesPerFrame = mixer.samplesPerFrame
        mix = mixer.frame
    }

    init(tape: AudioTape, normalizer: LoudnessNormalizer) {
        self.normalizer = normalizer
        samplesPerFrame = tape.samplesPerFrame
        mix = { n in
            guard let samples = tape.frame(n) else { throw MediaError(.internalFailure, path: "", "audio read past its recorded tape") }
            return samples
        }
    }

    func next() throws -> [[Float]] {
        let samples = try mix(frame)
        frame += 1
        return try normalizer.process(samples)
    }

    func finish() throws -> [[Float]] { normalizer.finish() }
}
