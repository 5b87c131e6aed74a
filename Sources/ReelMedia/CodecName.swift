internal import CFFmpeg
import Foundation

/// The name a user can look up for a stream's codec: libavcodec's short name, or, for a
/// codec libavcodec does not know at all (its id is "none"), the container's four-character
/// tag, as ffprobe shows it ("unknown codec 'zq42'").
func codecName(_ par: UnsafePointer<AVCodecParameters>) -> String {
    guard par.pointee.codec_id == AV_CODEC_ID_NONE else { return String(cString: avcodec_get_name(par.pointee.codec_id)) }
    let tag = par.pointee.codec_tag
    guard tag != 0 else { return "unknown codec" }
    let bytes = (0..<4).map { UInt8((tag >> (8 * UInt32($0))) & 0xFF) }
    let printable = bytes.allSatisfy { (0x20..<0x7F).contains($0) }
    return printable ? "unknown codec '\(String(decoding: bytes, as: UTF8.self))'" : String(format: "unknown codec (tag 0x%08x)", tag)
}
