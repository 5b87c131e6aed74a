import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct PreviewCommand: ParsableCommand, StopsByCancelling {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Compose one frame of a render (a plan or a recording with render flags) and write it as a PNG, without encoding.",
        discussion: """
        --at is a time on the output's timeline (with a hook, 0 is the hook's first frame). \
        Every flag of `reel render` applies; -o names the PNG.

        \(ReelExit.help)
        """
    )

    @Option(help: "Output time in seconds of the frame to compose.") var at: Double
    @OptionGroup var arguments: RenderArguments

    func run() throws {
        MediaLog.configure(verbose: arguments.verbose)
        var options: RenderOptions
        do { options = try arguments.makeOptions() } catch { fail(error) }
        guard NumberRange.seconds.contains(at) else {
            fail(MediaError(.usage, path: "", "--at \(at): expected a time from 0 to \(Int(NumberRange.seconds.upperBound)) seconds"))
        }
        options.previewAt = at
        do {
            let printer = ProgressPrinter(mode: options.progress)
            let (job, outputs) = try RenderPlanner(onWarning: { printer.warn($0) }).planClaimingOutputs(options)
            let summary = try RenderPipeline(job: job).run(outputs: outputs)
            if options.progress != .quiet {
                print("reel: wrote \(summary.output) (the frame at \(String(format: "%.2f", at)) s)")
                if let crop = summary.cropReason { print("reel: \(crop)") }
                if let hook = summary.hook { print("reel: \(hook)") }
            }
        } catch { fail(error) }
    }
}
