import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct SheetCommand: ParsableCommand, StopsByCancelling {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "Write a contact sheet: a PNG grid of a video's frames, each labelled with its time.",
        discussion: """
        Frames are taken at the middle of --count equal parts of the video (or at the --at \
        times, in the order given): the first frame shown at or after each moment, upright by \
        the display matrix. A time past the end shows the last frame, with a warning. Tiles are \
        --width pixels wide, 8 px apart, 12 px from the edges, on dark grey; the title line \
        defaults to the file name, picture size and duration.

        \(ReelExit.help)
        """
    )

    @Argument(help: "The video file.") var file: String
    @Option(name: .shortAndLong, help: "The PNG to write.") var output: String
    @Option(help: "Number of frames, evenly spaced (1…100).") var count: Int = 12
    @Option(help: "Times to show instead, comma-separated seconds or m:ss (e.g. 0,1.5,1:02.5).") var at: String?
    @Option(help: "Tiles per row (default: 4 for portrait videos, 3 for landscape and square).") var columns: Int?
    @Option(help: "Tile width in pixels (32…1920); the height follows the picture's shape.") var width: Int = 270
    @Option(help: "Time labels under the tiles: on or off.") var labels: String = "on"
    @Option(help: "Title line at the top ('' for none; default: file name, size, duration).") var title: String?
    @Flag(help: "Overwrite the output if it exists.") var force = false
    @Flag(name: .shortAndLong, help: "Print nothing but errors and warnings.") var quiet = false

    func run() throws {
        MediaLog.configure(verbose: false)
        var options = ContactSheet.Options(input: file, output: output)
        options.count = count
        options.columns = columns
        options.tileWidth = width
        options.title = title
        options.force = force
        switch labels {
        case "on": options.labels = true
        case "off": options.labels = false
        default: fail(MediaError(.usage, path: "", "--labels \(labels): use on or off"))
        }
        if let at {
            do { options.times = try ContactSheet.parseTimes(at) } catch let e as ContactSheet.Invalid {
                fail(MediaError(.usage, path: "", e.message))
            }
        }
        do {
            let s = try ContactSheet.make(options) { warning in
                Console.error("reel: warning: \(Console.visible(warning))\n")
            }
            if !quiet {
                print("reel: wrote \(s.output) (\(s.width)x\(s.height), \(s.tiles) frame\(s.tiles == 1 ? "" : "s") in \(s.columns) column\(s.columns == 1 ? "" : "s"); decoded \(s.decodedFrames) frame\(s.decodedFrames == 1 ? "" : "s"))")
            }
        } catch { fail(error) }
    }
}
