import Foundation
import ReelMedia

/// Media bytes through what reel does first with a recording or presenter: probe, then
/// demux and decode the first packets of the best video and audio streams. libavformat
/// reads files by name, so each input goes through one scratch file per process (in
/// /dev/shm when there is one: no disk traffic per execution).
enum MediaFuzzing {
    /// Packets read per input: the first seconds of a typical file, few enough to keep
    /// executions fast.
    static let packetLimit = 120

    static let scratchPath: String = {
        let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return (dir as NSString).appendingPathComponent("reel-fuzz-media-\(getpid())")
    }()

    /// libav's messages go where reel sends them (kept for error text, not printed): as in a
    /// render, and without megabytes of warnings about the mutated bytes.
    static let quietLog: Void = MediaLog.configure(verbose: false)

    static func run(_ data: Data) {
        _ = quietLog
        guard FileManager.default.createFile(atPath: scratchPath, contents: data) else { return }
        defer { try? FileManager.default.removeItem(atPath: scratchPath) }
        _ = try? Probe.inspect(path: scratchPath, scanPackets: 60)
        guard let demuxer = try? Demuxer(path: scratchPath) else { return }
        var decoders: [Int: Decoder] = [:]
        for kind in [StreamInfo.Kind.video, .audio] {
            if let index = demuxer.bestStream(kind), let decoder = try? Decoder(demuxer, stream: index, threads: 1) {
                decoders[index] = decoder
            }
        }
        demuxer.keepOnly(Set(decoders.keys))
        var packets = 0
        while packets < packetLimit, let packet = try? demuxer.readPacket() {
            packets += 1
            _ = try? decoders[packet.streamIndex]?.decode(packet)
        }
        for decoder in decoders.values { _ = try? decoder.decode(nil) }
    }
}
