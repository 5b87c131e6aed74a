import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct PlanCommand: ParsableCommand, StopsByCancelling {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Make every decision of a render (crop, layout, hook) and write them as a plan file to read, edit and render.",
        discussion: """
        Takes a recording with render flags, or a plan; -o names the YAML plan to write (the \
        MP4 it renders to is the input plan's output:, or --render-output). --crop auto, \
        --hook auto and the layout's boxes are written as numbers, so `reel render` on the \
        written plan renders the same frames and a user can adjust them.

        \(ReelExit.help)
        """
    )

    @Option(name: .customLong("render-output"), help: "The MP4 the written plan renders to (default: the input plan's output).") var renderOutput: String?
    @OptionGroup var arguments: RenderArguments

    func run() throws {
        MediaLog.configure(verbose: arguments.verbose)
        do {
            let options = try arguments.makeOptions()
            var target = renderOutput
            if target == nil, Plan.isPlan(arguments.input), let planned = try Plan.read(path: arguments.input).output {
                target = planned.hasPrefix("/") ? planned : ((arguments.input as NSString).deletingLastPathComponent as NSString).appendingPathComponent(planned)
            }
            let printer = ProgressPrinter(mode: options.progress)
            let job = try RenderPlanner(onWarning: { printer.warn($0) }).plan(options)
            let written = try PlanWriter.write(job: job, to: options.output, renderOutput: target,
                                               protecting: Plan.isPlan(arguments.input) ? [arguments.input] : [], force: options.force)
            if options.progress != .quiet {
                let seconds = Double(job.expectedFrames) / Double(options.fps)
                print("reel: wrote \(Console.visible(written)) (\(job.expectedFrames) frames, \(String(format: "%.2f", seconds)) s)")
                if let crop = job.cropReason { print("reel: \(crop)") }
                if let hook = job.hookReason { print("reel: \(hook)") }
            }
        } catch { fail(error) }
    }
}
