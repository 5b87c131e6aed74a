/// Counts the damage a decoder meets in a file, so that a little is concealed (as ffmpeg
/// does) and a file that is mostly garbage is refused.
///
/// One lost or cut packet is one incident, however many packets fail because of it:
/// libvpx (VP8/VP9, and WebM alpha) refuses every packet after damage, or before the first
/// keyframe of a stream cut from the middle, with "Keyframe / intra-only frame required to
/// reset decoder state" until the next keyframe — in a browser recording that can be
/// hundreds of packets later. Failures of non-key packets while an incident is open belong
/// to it; a packet that decodes closes it; a failing keyframe is a new incident.
public struct DecodeDamage: Sendable {
    /// More incidents than this and the file is refused with the decoder's error.
    public static let limit = 50
    public private(set) var incidents = 0
    private var open = false
    private let limit: Int

    public init(limit: Int = DecodeDamage.limit) { self.limit = limit }

    /// `packet` failed to decode with `error`: throws it when the damage is too much.
    public mutating func failed(_ packet: Packet?, _ error: Error) throws {
        try failed(keyframe: packet?.isKeyframe ?? true, error)
    }

    /// A packet failed; `keyframe` says whether it was one (the end of stream counts as one).
    public mutating func failed(keyframe: Bool, _ error: Error) throws {
        if open, !keyframe { return }
        open = true
        incidents += 1
        if incidents > limit { throw error }
    }

    /// A packet decoded: any open incident is over.
    public mutating func decoded() { open = false }
}
