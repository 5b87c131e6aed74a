/// The output audio format (DESIGN.md): AAC-LC 48 kHz stereo ~192 kbit/s.
enum AudioFormat {
    static let sampleRate = 48000
    static let bitrate = 192_000
}
