import Foundation
import ReelMedia

/// The files a render writes, claimed (temporary names created) before any work, so a
/// destination that cannot be written fails at once: the MP4 (or the preview's PNG) and
/// the composed frames' hashes. Each is renamed into place only when the render succeeds;
/// what is not committed is removed.
/// `@unchecked Sendable`: immutable references to `OutputFile`s (see there).
public final class RenderOutputs: @unchecked Sendable {
    // @unchecked: handed from the thread that claims to the one that runs, never shared.
    let main: OutputFile
    let hashes: OutputFile?

    /// Claims the outputs `o` names, after the checks that need no input opened.
    public init(claiming o: RenderOptions) throws {
        try RenderPlanner.check(o)
        main = try OutputFile(destination: o.output, inputs: o.inputFiles, force: o.force, kind: o.previewAt == nil ? "mp4" : "png")
        hashes = try o.frameHashes.map { try OutputFile(destination: $0, inputs: o.inputFiles, force: o.force, kind: "framemd5") }
    }
}

extension RenderPlanner {
    /// What `reel render` and `reel preview` do before running: claim the outputs (an
    /// unwritable destination fails before the minutes of planning), then plan.
    public func planClaimingOutputs(_ o: RenderOptions) throws -> (RenderJob, RenderOutputs) {
        let outputs = try RenderOutputs(claiming: o)
        return (try plan(o), outputs)
    }
}
