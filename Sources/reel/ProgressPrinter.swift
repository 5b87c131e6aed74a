import Foundation
import ReelKit
import ReelMedia

/// Shows render progress: a rewritten line on a terminal, JSON lines with --progress json,
/// nothing with --quiet (or when stderr is not a terminal).
/// `@unchecked Sendable`: `lineShown` is guarded by `lock`; the rest is immutable.
final class ProgressPrinter: @unchecked Sendable {
    let mode: RenderOptions.ProgressMode
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lineShown = false

    init(mode: RenderOptions.ProgressMode) { self.mode = mode }

    func show(_ p: RenderProgress) {
        lock.lock(); defer { lock.unlock() }
        switch mode {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard !Cancellation.isRequested, let data = try? encoder.encode(p) else { return }
            let failed = Console.write(String(decoding: data, as: UTF8.self) + "\n", to: STDOUT_FILENO)
            // Whoever reads the events is gone (`| head -n1`): stop as SIGPIPE would, but
            // through the pipeline so the partial output is removed. A full stdout is an error.
            if failed == EPIPE { Cancellation.request(signal: SIGPIPE) }
            else if failed != 0 {
                Cancellation.request(signal: 0, cause: MediaError(.cannotWrite, path: "stdout",
                                                                  "cannot write progress: \(String(cString: strerror(failed)))"))
            }
        case .auto where isTerminal && p.event != .start:
            let eta = p.eta.map { String(format: "ETA %.0fs", $0) } ?? "ETA --"
            let line = String(format: "\rreel: %5.1f%%  frame %d/%d  %.1f fps  %.2fx  %@ ", p.percent, p.frame, p.totalFrames, p.fps, p.speed, eta)
            Console.error(line)
            lineShown = true
        default: break
        }
    }

    func clearLine() {
        lock.lock(); defer { lock.unlock() }
        if lineShown { Console.error("\r\u{1B}[K"); lineShown = false }
    }

    func warn(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        Console.error("reel: warning: \(Console.visible(message))\n")
    }

    func finished(_ s: RenderSummary) {
        clearLine()
        // The last JSON line: what the render decided and measured (`reel batch` keeps it).
        if mode == .json { FileHandle.standardOutput.write(Data((RenderResult(s).jsonLine + "\n").utf8)) }
        guard mode == .auto else { return }
        var text = String(format: "reel: wrote %@ (%d frames, %.2f s, %.1fx realtime)", Console.visible(s.output), s.frames, s.duration, s.duration / max(s.wallSeconds, 1e-6))
        if let skipped = s.skippedLeadingBlank {
            text += String(format: "; skipped %.2f s of black/blank frames at the start (--keep-black-start keeps them)", skipped)
        }
        print(text)
        print("reel: " + (s.cropReason ?? "featured region \(s.crop.width)x\(s.crop.height) at \(s.crop.x),\(s.crop.y)"))
        if let hook = s.hook { print("reel: \(hook)") }
        if let loudness = s.loudness { print("reel: audio \(loudness)") }
    }
}
