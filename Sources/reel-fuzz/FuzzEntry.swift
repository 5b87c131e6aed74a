import Foundation
import ReelFuzzTargets
#if REEL_LIBFUZZER
internal import CReelFuzz
#endif

#if REEL_LIBFUZZER
/// The callback libFuzzer's driver calls; also the symbol its archive's own (unused) `main`
/// refers to, which the linker pulls in with `-sanitize=fuzzer`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzEntry.selected?.run(count == 0 ? Data() : Data(bytes: bytes!, count: count))
    return 0
}
#endif

/// Two builds of one file. `Scripts/fuzz` compiles it with `-sanitize=fuzzer,address
/// -D REEL_LIBFUZZER`: main hands over to libFuzzer's driver (SwiftPM names an executable's
/// entry point itself, so libFuzzer's own `main` cannot be linked), and `REEL_FUZZ_TARGET`
/// picks the target (libFuzzer drives one callback per process). The normal build replays
/// inputs: `reel-fuzz TARGET FILE...` runs each file once, to reproduce a finding without the
/// fuzzing toolchain.
@main
enum FuzzEntry {
    static func main() {
        #if REEL_LIBFUZZER
        selected = target(named: ProcessInfo.processInfo.environment["REEL_FUZZ_TARGET"] ?? "")
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, count in fuzzOneInput(bytes, count) })
        #else
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, arguments.count >= 2 else {
            FileHandle.standardError.write(Data("usage: reel-fuzz TARGET FILE... (replays inputs; Scripts/fuzz fuzzes)\n".utf8))
            exit(64)
        }
        let target = target(named: name)
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("reel-fuzz: \(path): cannot read\n".utf8))
                exit(66)
            }
            target.run(data)
            print("ok \(path)")
        }
        #endif
    }

    /// The target libFuzzer's callback feeds (set once, before the driver starts).
    nonisolated(unsafe) static var selected: FuzzTarget?

    static func target(named name: String) -> FuzzTarget {
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("reel-fuzz: unknown target '\(name)' (\(names))\n".utf8))
            exit(64)
        }
        return target
    }
}
