internal import CFFmpeg
internal import CReelShims
import Foundation

extension Frame {
    /// The decoder says this picture holds two fields (interlaced coding, e.g. DV, broadcast
    /// MPEG-2/H.264 with `-flags +ilme+ildct`).
    public var isInterlaced: Bool { reel_frame_is_interlaced(pointer) != 0 }
}

extension Demuxer {
    /// The stream's declared field order says it is interlaced (tt, bb, tb, bt).
    public func isInterlaced(stream index: Int) -> Bool {
        let order = stream(index).pointee.codecpar.pointee.field_order
        return order != AV_FIELD_UNKNOWN && order != AV_FIELD_PROGRESSIVE
    }
}
