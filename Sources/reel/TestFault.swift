import Foundation

/// TEST ONLY: makes a render crash or hang on purpose, so batch tests can show that one bad
/// job does not take a batch down. `REEL_TEST_FAULT=crash:NAME` (SIGSEGV) or `hang:NAME`
/// (stops making progress, like a stuck decoder) acts when the render's source recording is
/// named NAME.* and the render has started its output (so its temporary file exists).
/// Without the variable nothing changes.
struct TestFault {
    enum Kind { case crash, hang }
    let kind: Kind

    init?(source: String) {
        guard let spec = ProcessInfo.processInfo.environment["REEL_TEST_FAULT"] else { return nil }
        let name = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        for item in spec.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1] == name else { continue }
            switch parts[0] {
            case "crash": kind = .crash; return
            case "hang": kind = .hang; return
            default: continue
            }
        }
        return nil
    }

    func trigger() {
        switch kind {
        case .crash:
            // Die by the signal itself, as a real crash ends: under `Scripts/sanitize` the
            // sanitizers' SIGSEGV handlers turn a raised SIGSEGV into `exit(1)` (ASan) or
            // `exit(66)` (TSan), so the batch would see an exit code, not a crash. With the
            // default action restored the process ends by signal 11 in every build.
            signal(SIGSEGV, SIG_DFL)
            raise(SIGSEGV)
        case .hang: while true { sleep(3600) }
        }
    }
}
