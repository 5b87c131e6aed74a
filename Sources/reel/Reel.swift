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
}
