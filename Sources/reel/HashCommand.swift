import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print per-frame MD5 checksums (FFmpeg framemd5 format), or compare two files frame by frame.",
        discussion: """
        Frames are decoded bit-exactly and hashed in the decoder's own pixel format with planes \
        packed without padding, exactly as `ffmpeg -flags +bitexact -i FILE -f framemd5 -` does. \
        With --compare, prints the first differing frame and the PSNR of each differing frame, \
        and exits 1 when the files differ beyond --tolerance.

        \(ReelExit.help)
        """
    )

    @Argument(help: "The video file.") var file: String
    @Flag(help: "Also hash the audio stream (packed signed 16-bit samples).") var audio = false
    @Option(name: .customLong("pix-fmt"), help: "Convert pictures to this pixel format before hashing (e.g. yuv420p).") var pixelFormat: String?
    @Flag(name: .customLong("no-autorotate"), help: "Hash pictures as stored, ignoring the display matrix (like ffmpeg -noautorotate).") var noAutorotate = false
    @Option(help: "Output format: framemd5 or json.") var format: String = "framemd5"
    @Option(help: "Compare with this file instead of printing hashes.") var compare: String?
    @Option(help: "With --compare: the lowest PSNR in dB still counted as equal (default: frames must be identical).") var tolerance: Double?

    func run() throws {
        MediaLog.configure(verbose: false)
        guard ["framemd5", "json"].contains(format) else {
            fail(MediaError(.usage, path: "", "--format \(format): use framemd5 or json"))
        }
        do {
            if let other = compare {
                let result = try FrameComparison.compare(file, other)
                if format == "json" {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(result), as: UTF8.self))
                } else {
                    print(HashReport.comparisonText(result, a: file, b: other))
                }
                if result.differs(tolerance: tolerance) { throw ExitCode(1) }
                return
            }
            var options = MediaHasher.Options()
            options.audio = audio
            options.pixelFormat = pixelFormat
            options.autorotate = !noAutorotate
            let hashes = try MediaHasher.hash(path: file, options: options)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(hashes.entries), as: UTF8.self))
            } else {
                _ = Console.write(hashes.text, to: STDOUT_FILENO)
            }
        } catch let e as ExitCode {
            throw e
        } catch { fail(error) }
    }
}
