import Foundation
import ReelKit

/// Shows render progress: a rewritten line on a terminal, JSON lines with --progress json,
/// nothing with --quiet (or when stderr is not a terminal).
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
            if let data = try? encoder.encode(p) {
                FileHandle.standardOutput.write(data + Data("\n".utf8))
            }
        case .auto where isTerminal && p.event != .start:
            let eta = p.eta.map { String(format: "ETA %.0fs", $0) } ?? "ETA --"
            let line = String(format: "\rreel: %5.1f%%  frame %d/%d  %.1f fps  %.2fx  %@ ", p.percent, p.frame, p.totalFrames, p.fps, p.speed, eta)
            FileHandle.standardError.write(Data(line.utf8))
            lineShown = true
        default: break
        }
    }

    func clearLine() {
        lock.lock(); defer { lock.unlock() }
        if lineShown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)); lineShown = false }
    }

    func warn(_ message: String) {
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data("reel: warning: \(message)\n".utf8))
    }

    func interrupted() {
        clearLine()
        FileHandle.standardError.write(Data("reel: interrupted; partial output removed\n".utf8))
    }

    func finished(_ s: RenderSummary) {
        clearLine()
        guard mode == .auto else { return }
        var text = String(format: "reel: wrote %@ (%d frames, %.2f s, %.1fx realtime)", s.output, s.frames, s.duration, s.duration / max(s.wallSeconds, 1e-6))
        text += "; featured region \(s.crop.width)x\(s.crop.height) at \(s.crop.x),\(s.crop.y)"
        if let skipped = s.skippedLeadingBlank {
            text += String(format: "; skipped %.2f s of black/blank frames at the start (--keep-black-start keeps them)", skipped)
        }
        print(text)
        if let hook = s.hook { print("reel: \(hook)") }
        if let loudness = s.loudness { print("reel: audio \(loudness)") }
    }
}
