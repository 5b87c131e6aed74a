import Foundation

/// Runs a graph of stages: each on its own thread but the last, which runs on the calling
/// thread (as fftools' muxer does). It owns the first error: a stage that throws, or a
/// cancellation, cancels every queue so the others unwind, and `run` rethrows it once all
/// have ended. It also measures each stage (StageStats).
final class Scheduler {
    let control = FailureBox()

    /// Runs `stages` (in data order, the sink last) to the end; rethrows the first error.
    func run(_ stages: [any RenderStage]) throws -> [StageStats] {
        let queues = stages.flatMap { $0.inputs + $0.outputs }
        let control = self.control
        let fail: @Sendable (Error) -> Void = { error in
            control.record(error)
            for q in queues { q.cancel() }
        }
        let clock = StageClock(count: stages.count)
        @Sendable func body(_ index: Int, _ stage: any RenderStage) {
            let start = DispatchTime.now().uptimeNanoseconds
            do {
                try stage.run(control)
                stage.outputs.forEach { $0.close() }
                // Whatever it did not read is not wanted: a stage feeding it stops at its next push.
                stage.inputs.forEach { $0.close() }
            } catch { fail(error) }
            clock.set(index, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        var threads: [StageThread] = []
        for (i, stage) in stages.enumerated().dropLast() {
            threads.append(StageThread(name: "reel-\(stage.name)") { body(i, stage) })
        }
        body(stages.count - 1, stages[stages.count - 1])
        threads.forEach { $0.join() }
        if let error = control.error { throw error }
        return stages.enumerated().map { i, s in
            let wall = clock.seconds(i)
            // Every queue has one producer and one consumer, so its waits are this stage's.
            let waitIn = s.inputs.reduce(0) { $0 + $1.popWaitSeconds }, waitOut = s.outputs.reduce(0) { $0 + $1.pushWaitSeconds }
            return StageStats(stage: s.name, wallSeconds: wall, busySeconds: max(0, wall - waitIn - waitOut), waitInputSeconds: waitIn,
                              waitOutputSeconds: waitOut, itemsOut: s.itemsOut, skippedUnchanged: s.skippedUnchanged,
                              peakInputDepth: s.inputs.map(\.peakDepth).max())
        }
    }
}

/// Each stage's wall time, written by its own thread, read after all are joined.
/// `@unchecked Sendable`: `values` is guarded by `lock`.
private final class StageClock: @unchecked Sendable {
    // @unchecked: each slot is written by one thread, under `lock`.
    private let lock = NSLock()
    private var values: [Double]
    init(count: Int) { values = Array(repeating: 0, count: count) }
    func set(_ i: Int, seconds: Double) { lock.lock(); values[i] = seconds; lock.unlock() }
    func seconds(_ i: Int) -> Double { lock.lock(); defer { lock.unlock() }; return values[i] }
}
