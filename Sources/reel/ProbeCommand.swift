import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show what reel sees in a media file: streams, size, rotation, frame rate, colour, audio.",
        discussion: ReelExit.help
    )

    @Argument(help: "The media file.") var file: String
    @Flag(help: "Print JSON instead of text.") var json = false
    @Flag(help: "Also measure the audio's EBU R128 loudness (integrated, true peak, range) as the render sees it: the best audio stream at 48 kHz stereo. Reads the whole stream. In JSON, \"loudness\" is absent when the file has no audio.")
    var loudness = false

    func run() throws {
        MediaLog.configure(verbose: false)
        do {
            let info = try Probe.inspect(path: file, measureLoudness: loudness)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(info), as: UTF8.self))
            } else {
                print(ProbeReport.text(info, loudness: loudness))
            }
        } catch { fail(error) }
    }
}
