import ArgumentParser
import Foundation
import ReelKit
import ReelMedia

struct DemoCommand: ParsableCommand, StopsByCancelling {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Render the built-in example: the Karpathy explainer (Fixtures/example/plan.yaml) to out/demo.mp4.",
        discussion: """
        A tech blogger in a cap printed "AI" explains Karpathy's post on Veo 3 and "video is \
        directly optimizable", over a screen recording of the post: presenter with alpha, the \
        cap sticker, bilingual subtitles, a 2-second hook with its headline, music ducked under \
        the voice, -14 LUFS. Extra render flags after `--` are applied on top of the plan.

        \(ReelExit.help)
        """
    )

    @Option(name: .shortAndLong, help: "The MP4 to write.") var output: String = "out/demo.mp4"
    @Option(help: "The plan to render (default: Fixtures/example/plan.yaml of this checkout).") var plan: String?
    @Argument(parsing: .postTerminator, help: "Render flags applied on top of the plan.") var extra: [String] = []

    /// The example plan next to this checkout: searched upward from the executable (inside
    /// .build) and from the working directory.
    static func findPlan() -> String? {
        let relative = "Fixtures/example/plan.yaml"
        var starts = [FileManager.default.currentDirectoryPath]
        if let exe = Bundle.main.executablePath { starts.insert((exe as NSString).deletingLastPathComponent, at: 0) }
        for start in starts {
            var dir = URL(fileURLWithPath: start).standardizedFileURL
            for _ in 0..<8 {
                let candidate = dir.appendingPathComponent(relative).path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                dir.deleteLastPathComponent()
            }
        }
        return nil
    }

    func run() throws {
        guard let planPath = plan ?? Self.findPlan() else {
            fail(MediaError(.notFound, path: "Fixtures/example/plan.yaml", "the example plan was not found (run reel demo inside the reel checkout, or give --plan)"))
        }
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                fail(MediaError(.cannotWrite, path: directory, "cannot create the output folder"))
            }
        }
        let arguments: RenderArguments
        do { arguments = try RenderArguments.parse([planPath, "-o", output, "--force"] + extra) } catch { DemoCommand.exit(withError: error) }
        MediaLog.configure(verbose: arguments.verbose)
        let options: RenderOptions
        do { options = try arguments.makeOptions() } catch { fail(error) }
        let printer = ProgressPrinter(mode: options.progress)
        do {
            let (job, outputs) = try RenderPlanner(onWarning: { printer.warn($0) }).planClaimingOutputs(options)
            let summary = try RenderPipeline(job: job, onProgress: { printer.show($0) }).run(outputs: outputs)
            printer.finished(summary)
            if options.progress != .quiet {
                print("reel: the demo is at \(URL(fileURLWithPath: summary.output).standardizedFileURL.path)")
            }
        } catch {
            printer.clearLine()
            fail(error)
        }
    }
}
