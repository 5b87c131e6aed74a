import Foundation
import ReelMedia

/// Writes the MP4: for each video frame, its video packets then its audio packets (the
/// order the two encoders made them in, so a `--deterministic` file is the same bytes
/// however the threads ran), interleaved by libavformat; then the flushed packets, the
/// trailer and fast start. It owns the output's finishing: only with the end of both
/// streams does it write the trailer.
/// `@unchecked Sendable`: a stage is built on the caller's thread and then used only by the
/// one thread the scheduler runs it on (the muxer's context allows one thread at a time).
final class MuxStage: RenderStage, @unchecked Sendable {
    // @unchecked: runs on one thread; the scheduler reads the counters after it returns.
    let name = "mux"
    var inputs: [any MeteredQueue] { [video, audio] }
    let outputs: [any MeteredQueue] = []
    /// Video frames written (with their sound).
    private(set) var itemsOut = 0
    let skippedUnchanged = 0

    private let muxer: Muxer
    private let videoStream: Int, audioStream: Int
    private let deterministic: Bool
    private let video: BoundedQueue<PacketMessage>
    private let audio: BoundedQueue<PacketMessage>
    private let report: @Sendable (RenderProgress.Event, _ frames: Int, _ total: Int) -> Void

    /// `muxer` has its streams added (in `videoStream`, `audioStream`); its header is written when the stage runs.
    init(muxer: Muxer, videoStream: Int, audioStream: Int, deterministic: Bool, video: BoundedQueue<PacketMessage>,
         audio: BoundedQueue<PacketMessage>, report: @escaping @Sendable (RenderProgress.Event, Int, Int) -> Void) {
        self.muxer = muxer
        self.videoStream = videoStream
        self.audioStream = audioStream
        self.deterministic = deterministic
        self.video = video
        self.audio = audio
        self.report = report
    }

    func run(_ control: FailureBox) throws {
        try muxer.start(deterministic: deterministic)
        var frames = 0
        func write(_ packets: [Packet], _ stream: Int) throws { for p in packets { try muxer.write(p, stream: stream) } }
        loop: while let message = video.pop() {
            switch (message, audio.pop()) {
            case (.frame(let v), .frame(let a)?):
                try write(v, videoStream)
                try write(a, audioStream)
                frames += 1
                itemsOut = frames
            case (.end(let v), .end(let a)?):
                try write(v, videoStream)
                try write(a, audioStream)
                try muxer.finish()
                report(.done, frames, frames)
                return
            default:
                break loop
            }
        }
        // A stream stopped short: the run is stopping (its error is reported), nothing is finished.
        if let error = control.error { throw error }
        throw MediaError(.internalFailure, path: muxer.path, "the video and audio streams did not end together")
    }
}
