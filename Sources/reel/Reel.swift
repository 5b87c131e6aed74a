import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

@main
struct Reel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reel",
        abstract: "Turns a screen recording into a Douyin-ready 9:16 H.264 MP4.",
        discussion: ReelExit.help,
        subcommands: [Render.self, PlanCommand.self, BatchCommand.self, PreviewCommand.self, DemoCommand.self, ProbeCommand.self, HashCommand.self, SheetCommand.self,
                      CaptionsCommand.self],
        defaultSubcommand: nil
    )

    /// Signal handlers go in before anything else (even parsing), so no signal is lost between
    /// process start and a render's first check of the cancellation; a command that does not
    /// stop by cancelling gets the default actions back (and a signal that came already).
    static func main() {
        Interruption.install()
        do {
            var command = try parseAsRoot()
            if !(command is StopsByCancelling) { Interruption.restoreDefaultActions() }
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

/// A command that polls `Cancellation` and removes its partial output when a signal stops it
/// (the rest keep the signals' default actions).
protocol StopsByCancelling {}
