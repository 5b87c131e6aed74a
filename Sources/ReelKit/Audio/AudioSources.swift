import Foundation
import ReelMedia

/// Which sounds a render plays, decided by the planner before any sample is decoded: the
/// voice (`--voice`, else the presenter's own sound), the recording's sound, the music, and
/// how they line up with the source timeline. The levels are measured later (AudioPlan).
public struct AudioSources: Sendable, Codable, Equatable {
    /// A file's audio placed on the source timeline.
    public struct Source: Sendable, Codable, Equatable {
        public let path: String
        /// The time its sound is counted from (the video stream's start), nil = the audio's own.
        public let origin: Double?
        /// Source-timeline second at which it starts.
        public let offset: Double
        /// Loop period in seconds (a looping presenter's voice loops with its picture).
        public let loop: Double?
    }
    public var voice: Source?
    public var screen: Source?
    public var music: Source?
    /// The music's length when it is shorter than the output and loops.
    public var musicLoop: Double?

    /// Chooses the sources; refuses a voice or music file without sound, or music too short to loop.
    static func decide(options o: RenderOptions, edit: EditList, presenter: PresenterSource?, recordingHasAudio: Bool,
                       sourceDuration: Double) throws -> AudioSources {
        var s = AudioSources()
        if let path = o.voice {
            guard FileManager.default.fileExists(atPath: path) else { throw MediaError(.notFound, path: path, "no such file") }
            guard try Probe.inspect(path: path, scanPackets: 0).audio != nil else { throw MediaError(.invalidInput, path: path, "no audio stream (--voice needs sound)") }
            s.voice = Source(path: path, origin: nil, offset: o.voiceStart, loop: nil)
        } else if let p = presenter, p.options.useAudio, try Probe.inspect(path: p.options.path, scanPackets: 0).audio != nil {
            // The presenter's voice keeps its sync with its own picture: the same origin (the
            // video stream's start), the same offset, the same loop.
            let loop = (p.options.fit == .loop && p.duration.isFinite) ? p.duration : nil
            s.voice = Source(path: p.options.path, origin: p.reader.origin, offset: p.options.start, loop: loop)
        }
        let screenOn = o.screenAudio ?? (s.voice == nil)
        s.screen = (screenOn && recordingHasAudio) ? Source(path: o.input, origin: AudioPlan.videoOrigin(o.input), offset: 0, loop: nil) : nil
        if let path = o.music {
            guard FileManager.default.fileExists(atPath: path) else { throw MediaError(.notFound, path: path, "no such file") }
            let info = try Probe.inspect(path: path, scanPackets: 0)
            guard let a = info.audio else { throw MediaError(.invalidInput, path: path, "no audio stream (--music needs sound)") }
            s.music = Source(path: path, origin: nil, offset: 0, loop: nil)
            let length = a.duration ?? info.duration ?? 0
            guard length > 0.2 else { throw MediaError(.invalidInput, path: path, "the music is too short to loop") }
            let outputLength = Double(edit.totalFrames ?? Int(sourceDuration * Double(o.fps))) / Double(o.fps)
            s.musicLoop = length < outputLength ? length : nil
        }
        return s
    }
}
