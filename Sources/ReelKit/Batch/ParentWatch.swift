import Foundation

/// A job's render ends when its batch is gone, even by SIGKILL (which the batch cannot
/// forward): the render watches its parent, and when it has been re-parented it stops as on
/// SIGTERM (removing its temporary output). Active only in a batch's child, which the batch
/// marks with `REEL_BATCH_PARENT=<pid>`.
public enum ParentWatch {
    public static func startIfBatchChild() {
        guard let text = ProcessInfo.processInfo.environment["REEL_BATCH_PARENT"], let parent = pid_t(text) else { return }
        let thread = Thread {
            while getppid() == parent { usleep(200_000) }
            kill(getpid(), SIGTERM)
        }
        thread.stackSize = 64 << 10
        thread.start()
    }
}
