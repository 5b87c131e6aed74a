import Foundation
import ReelMedia

/// The output's sound: decodes, mixes and limits the audio sources as the plan says
/// (`AudioPlan`, `AudioMixer`, `AudioRenderer`) and encodes it (AAC), one video frame's
/// worth for each frame the video encoder reports, so the track is sample-exact and exactly
/// as long as the video. Its packets go to the mux stage, one message per video frame.
/// `@unchecked Sendable`: a stage is built on the caller's thread and then used only by the
/// one thread the scheduler runs it on (`itemsOut` is read after that thread is joined).
final class AudioStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after it returns.
    let name = "audio"
    var inputs: [any MeteredQueue] { [clock] }
    var outputs: [any MeteredQueue] { [packets] }
    /// Video frames whose sound was made.
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let plan: AudioPlan
    private let expectedFrames: Int
    private let encoder: Encoder
    private let clock: BoundedQueue<VideoClock>
    private let packets: BoundedQueue<PacketMessage>

    init(plan: AudioPlan, expectedFrames: Int, encoder: Encoder, clock: BoundedQueue<VideoClock>, output: BoundedQueue<PacketMessage>) {
        self.plan = plan
        self.expectedFrames = expectedFrames
        self.encoder = encoder
        self.clock = clock
        packets = output
    }

    func run(_ control: FailureBox) throws {
        let audio = encoder
        let mixer = try plan.makeRenderer(expectedFrames: expectedFrames)
        var fifo = SampleFifo()
        // The AAC encoder's priming samples play first (there is no edit list to hide them),
        // so the first `initialPadding` samples of the mix are replaced by them: every later
        // sample then plays exactly at its own time and the track is exactly as long as the video.
        var audioWritten = audio.initialPadding
        var mixed = 0
        var frames = 0

        func encodeAudio(upTo limit: Int, final: Bool) throws -> [Packet] {
            let size = audio.frameSize
            var out: [Packet] = []
            while audioWritten < limit {
                let n = min(size, limit - audioWritten)
                if n < size && !final { break }
                if fifo.count < n {
                    if final { fifo.appendSilence(n - fifo.count) } else { break }
                }
                let chunk = fifo.take(n)
                let frame = try audio.makeAudioFrame(chunk, range: 0..<n, pts: Int64(audioWritten))
                out += try audio.encode(frame)
                audioWritten += n
            }
            return out
        }
        func mixFrame(_ tail: Bool = false) throws {
            let samples = tail ? try mixer.finish() : try mixer.next()
            guard !samples[0].isEmpty else { return }
            let skip = max(0, audio.initialPadding - mixed)
            mixed += samples[0].count
            fifo.append(samples, dropping: skip)
        }

        while let tick = clock.pop() {
            switch tick {
            case .frame:
                frames += 1
                try mixFrame()
                if !packets.push(.frame(try encodeAudio(upTo: frames * mixer.samplesPerFrame, final: false))) { return }
                itemsOut = frames
            case .end:
                try mixFrame(true)
                let tail = try encodeAudio(upTo: frames * mixer.samplesPerFrame, final: true) + (try audio.encode(nil))
                packets.push(.end(tail))
                return
            }
        }
        // Without the video's end the run is stopping: nothing is finished.
        if let error = control.error { throw error }
    }
}
