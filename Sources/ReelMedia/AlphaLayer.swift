internal import CFFmpeg
import Foundation

/// WebM keeps VP8/VP9 alpha as a second picture beside the colour one (Matroska
/// BlockAdditional, id 1), which only libvpx's decoders read; libavcodec's native `vp8`/`vp9`
/// (what it picks by default) drop it. ffmpeg's muxer flags such a track with `alpha_mode=1`,
/// but other muxers (browsers, OBS, gstreamer, tools that rewrite the track header) leave
/// the flag out and still carry the alpha on the blocks, sometimes from a later block on.
public enum AlphaLayer {
    /// How many of the stream's first packets are looked at for alpha data.
    public static let scanPackets = 120

    /// The decoder that returns this stream's alpha (`libvpx-vp9`, `libvpx`), or nil when
    /// the stream has none (or is not VP8/VP9). Opens the file again: the caller's demuxer
    /// keeps its position.
    public static func decoder(path: String, stream index: Int) throws -> String? {
        let demuxer = try Demuxer(path: path)
        let name: String
        switch demuxer.stream(index).pointee.codecpar.pointee.codec_id {
        case AV_CODEC_ID_VP9: name = "libvpx-vp9"
        case AV_CODEC_ID_VP8: name = "libvpx"
        default: return nil
        }
        guard avcodec_find_decoder_by_name(name) != nil else { return nil }
        return try present(demuxer, stream: index) ? name : nil
    }

    /// Whether the track is flagged `alpha_mode=1` or one of its first packets carries alpha
    /// data. Reads packets from `demuxer`'s position on.
    static func present(_ demuxer: Demuxer, stream index: Int) throws -> Bool {
        if demuxer.tag("alpha_mode", stream: index) == "1" { return true }
        demuxer.keepOnly([index])
        var seen = 0
        while seen < scanPackets, let packet = try demuxer.readPacket() {
            guard packet.streamIndex == index else { continue }
            seen += 1
            if carriesAlpha(packet) { return true }
        }
        return false
    }

    /// A BlockAdditional with id 1 (Matroska's "alpha channel" BlockAddID).
    static func carriesAlpha(_ packet: Packet) -> Bool {
        var size = 0
        guard let data = av_packet_get_side_data(packet.pointer, AV_PKT_DATA_MATROSKA_BLOCKADDITIONAL, &size), size > 8 else { return false }
        var id: UInt64 = 0
        for i in 0..<8 { id = id << 8 | UInt64(data[i]) }
        return id == 1
    }
}
