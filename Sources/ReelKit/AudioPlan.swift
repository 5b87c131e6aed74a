import Foundation
import ReelMedia

/// The audio of a render, decided before the first frame: which sources play (the voice:
/// `--voice` or the presenter's sound; the recording's own sound; music), their levels,
/// and the loudness gain. Levels are measured in passes over the whole mix (audio is cheap
/// to decode twice), so the render's own pass is exact rather than a pumping compressor.
final class AudioPlan {
    let options: RenderOptions
    let edit: EditList
    struct Source { let path: String; let origin: Double?; let offset: Double; let loop: Double? }
    let voice: Source?
    let screen: Source?
    let music: Source?
    let musicLoop: Double?
    private(set) var voiceGain: Float = 1
    private(set) var screenGain: Float = 1
    private(set) var musicGain: Float = 1
    private(set) var mixGain: Double = 0
    private(set) var summary: String?

    init(options o: RenderOptions, edit: EditList, presenter: PresenterLayer?, recordingHasAudio: Bool, sourceDuration: Double) throws {
        options = o
        self.edit = edit
        if let path = o.voice {
            guard FileManager.default.fileExists(atPath: path) else { throw MediaError(.notFound, path: path, "no such file") }
            guard try Probe.inspect(path: path, scanPackets: 0).audio != nil else { throw MediaError(.invalidInput, path: path, "no audio stream (--voice needs sound)") }
            voice = Source(path: path, origin: nil, offset: o.voiceStart, loop: nil)
        } else if let p = presenter, p.options.useAudio, try Probe.inspect(path: p.options.path, scanPackets: 0).audio != nil {
            // The presenter's voice keeps its sync with its own picture: the same origin (the
            // video stream's start), the same offset, the same loop.
            let loop = (p.options.fit == .loop && p.duration.isFinite) ? p.duration : nil
            voice = Source(path: p.options.path, origin: p.reader.origin, offset: p.options.start, loop: loop)
        } else {
            voice = nil
        }
        let screenOn = o.screenAudio ?? (voice == nil)
        screen = (screenOn && recordingHasAudio) ? Source(path: o.input, origin: Self.videoOrigin(o.input), offset: 0, loop: nil) : nil
        if let path = o.music {
            guard FileManager.default.fileExists(atPath: path) else { throw MediaError(.notFound, path: path, "no such file") }
            let info = try Probe.inspect(path: path, scanPackets: 0)
            guard let a = info.audio else { throw MediaError(.invalidInput, path: path, "no audio stream (--music needs sound)") }
            music = Source(path: path, origin: nil, offset: 0, loop: nil)
            let length = a.duration ?? info.duration ?? 0
            guard length > 0.2 else { throw MediaError(.invalidInput, path: path, "the music is too short to loop") }
            let outputLength = Double(edit.totalFrames ?? Int(sourceDuration * Double(o.fps))) / Double(o.fps)
            musicLoop = length < outputLength ? length : nil
        } else {
            music = nil
            musicLoop = nil
        }
    }

    /// The recording's audio keeps sync with its picture: time 0 is the video's start.
    private static func videoOrigin(_ path: String) -> Double? {
        guard let d = try? Demuxer(path: path), let v = d.bestStream(.video) else { return nil }
        return d.startTime(of: v)
    }

    func makeMixer(expectedFrames: Int?) throws -> AudioMixer {
        let sr = Double(AudioFormat.sampleRate)
        func timeline(_ s: Source?, gain: Float) throws -> TimelineAudio? {
            guard let s, let reader = try AudioSourceReader(path: s.path, origin: s.origin) else { return nil }
            return TimelineAudio(reader: reader, offset: Int((s.offset * sr).rounded()), loopLength: s.loop.map { Int(($0 * sr).rounded()) }, gain: gain)
        }
        var bed: MusicBed? = nil
        if let m = music, let reader = try AudioSourceReader(path: m.path) {
            bed = MusicBed(reader: reader, loopLength: musicLoop.map { Int(($0 * sr).rounded()) }, gain: musicGain)
        }
        return AudioMixer(edit: edit, fps: options.fps, voice: try timeline(voice, gain: voiceGain),
                          screen: try timeline(screen, gain: screenGain), music: bed,
                          duckDepth: options.duckDepth, expectedFrames: expectedFrames)
    }

    /// The mix as the render encodes it, one video frame of samples at a time.
    func makeRenderer(expectedFrames: Int) throws -> AudioRenderer {
        AudioRenderer(mixer: try makeMixer(expectedFrames: expectedFrames), gain: mixGain)
    }
}

/// Pulls the mixer frame by frame and applies the loudness gain.
final class AudioRenderer {
    let mixer: AudioMixer
    let gain: Float
    private var frame = 0
    var samplesPerFrame: Int { mixer.samplesPerFrame }

    init(mixer: AudioMixer, gain dB: Double) {
        self.mixer = mixer
        gain = Float(pow(10, dB / 20))
    }

    func next() throws -> [[Float]] {
        var samples = try mixer.frame(frame)
        frame += 1
        if gain != 1 { for c in 0..<2 { for i in 0..<samples[c].count { samples[c][i] *= gain } } }
        return samples
    }

    /// Samples still held back at the end (none: the chain has no delay).
    func finish() throws -> [[Float]] { [[], []] }
}
