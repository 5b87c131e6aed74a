import Foundation
import ReelMedia

/// What an encoding stage sends the mux stage: for each video frame, the packets its encoder
/// gave back by then (the video encoder's for that frame, often none while x264 looks
/// ahead; the audio stage's AAC packets up to the end of that frame's samples), then the end
/// of the stream with the packets the encoder's flush gave back.
enum PacketMessage {
    case frame([Packet])
    case end([Packet])
}

/// The video encoder's clock, which paces the audio stage: one more video frame was
/// encoded; then the end (the audio is cut to exactly as many frames).
enum VideoClock {
    case frame
    case end
}
