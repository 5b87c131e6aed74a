import Foundation

/// The decoded frames of one or more streams of a file, in file order: reads packets, skips
/// other streams, decodes, conceals damaged packets by one rule, and drains every decoder at
/// the end of the file. The one place reel turns packets into frames; EAGAIN/EOF stay
/// control flow inside `Decoder`.
/// `@unchecked Sendable`: one owner at a time. It is made on one thread and handed to the one
/// thread that uses it (a pipeline stage); it is never used from two threads at once, which libav's
/// contexts do not allow. The compiler cannot see that hand-off, so it is stated here.
public final class DecodedFrames: @unchecked Sendable {
    /// What a packet the decoder refuses does.
    public enum DamagedPackets: Sendable, Equatable {
        /// The first one fails the whole read (checkers: hashes must not skip a frame).
        case fail
        /// Up to this many incidents are concealed (libav's error concealment) and counted;
        /// one more fails. A long recording with a glitch still renders; a file of garbage
        /// does not. An incident is what `DecodeDamage` counts: every refusal up to the next
        /// keyframe (libvpx refuses all packets after damage until then).
        case conceal(upTo: Int)
        /// The rule every render and preview path uses.
        public static let standard = DamagedPackets.conceal(upTo: DecodeDamage.limit)
    }

    public let demuxer: Demuxer
    public let decoders: [Decoder]
    private let policy: DamagedPackets
    /// Damage incidents so far (concealed), over every stream.
    public var damagedPackets: Int { damage.values.reduce(0) { $0 + $1.incidents } }
    /// Per stream: damage is counted by incident (`DecodeDamage`).
    private var damage: [Int: DecodeDamage] = [:]
    /// True once the file has ended and every decoder has been drained.
    public private(set) var isAtEnd = false
    private var pending: [(decoder: Decoder, frame: Frame)] = []
    private var pendingHead = 0
    /// Packets whose time (seconds from the stream's start, `Demuxer.startTime(of:)`) is
    /// before this are decoded without their non-reference frames: pictures the caller will
    /// never show (decoding forward to a moment after a seek). nil decodes everything.
    public var skipNonReferenceFramesBefore: Double?

    /// - Parameters:
    ///   - decoders: decoders of streams of `demuxer`; the demuxer then reads only their packets.
    ///   - damaged: the damaged-packet rule.
    public init(_ demuxer: Demuxer, decoders: [Decoder], damaged: DamagedPackets = .standard) {
        precondition(!decoders.isEmpty, "DecodedFrames needs a decoder")
        self.demuxer = demuxer
        self.decoders = decoders
        policy = damaged
        demuxer.keepOnly(Set(decoders.map(\.streamIndex)))
    }

    /// The frames of one stream.
    public convenience init(_ demuxer: Demuxer, decoder: Decoder, damaged: DamagedPackets = .standard) {
        self.init(demuxer, decoders: [decoder], damaged: damaged)
    }

    /// The next frame of any stream, with its decoder; nil after the last.
    public func nextFrame() throws -> (decoder: Decoder, frame: Frame)? {
        while pendingHead == pending.count {
            guard let batch = try nextBatch() else { return nil }
            pending = batch.frames.map { (batch.decoder, $0) }
            pendingHead = 0
        }
        defer { pendingHead += 1 }
        return pending[pendingHead]
    }

    /// The next frame (of the first decoder's stream when there is one decoder); nil after the last.
    public func next() throws -> Frame? { try nextFrame()?.frame }

    /// The frames that the next packet (or, at the end, one decoder's drain) produced, never
    /// empty; nil after the last. For callers that work packet by packet. Frames still
    /// queued for `next()` come first.
    public func nextBatch() throws -> (decoder: Decoder, frames: [Frame])? {
        if pendingHead < pending.count {
            let rest = pending[pendingHead...]
            pending = []
            pendingHead = 0
            return (rest.first!.decoder, rest.map(\.frame))   // one packet's frames: one decoder
        }
        while !isAtEnd {
            guard let packet = try demuxer.readPacket() else {
                // End of file: drain every decoder (one batch each), then report the end.
                for decoder in decoders {
                    let frames = try decode(nil, decoder)
                    if !frames.isEmpty { return (decoder, frames) }
                }
                isAtEnd = true
                return nil
            }
            guard let decoder = decoders.first(where: { $0.streamIndex == packet.streamIndex }) else { continue }
            if let limit = skipNonReferenceFramesBefore {
                let time = packet.pts.map { Double($0) * decoder.timeBase.value - demuxer.startTime(of: decoder.streamIndex) }
                decoder.skipsNonReferenceFrames = time.map { $0 < limit } ?? false
            }
            let frames = try decode(packet, decoder)
            if !frames.isEmpty { return (decoder, frames) }
        }
        return nil
    }

    /// After the demuxer was seeked: decoders start afresh, nothing decoded before is returned.
    public func restart() {
        for decoder in decoders { decoder.reset() }
        pending = []
        pendingHead = 0
        isAtEnd = false
    }

    /// Seeks to the keyframe at or before `seconds` (checked for the first decoder's stream,
    /// see `Demuxer.seek(to:keyframeOf:)`) and restarts decoding there. Then checks by
    /// decoding: when the first picture of that stream is after `seconds`, seeks earlier and
    /// tries again (0.5, 1, 2 … 64 s before), as a robust seek does. A keyframe packet can be
    /// before the target while its picture is not: in an open-GOP MPEG-2 (DVD, broadcast) the
    /// I-frame shows after the B-frames that follow it, which need the GOP before and are
    /// dropped after a seek; and after a seek into MPEG-PS the parser labels the first
    /// packets with a neighbour's time. Decoding from earlier gives the pictures, and the
    /// labels, of a read from the start. The frames decoded for the check are returned next.
    public func seek(to seconds: Double) throws {
        let checked = decoders[0]
        let earliest = demuxer.startTime(of: checked.streamIndex) - 1
        var target = seconds
        for step in [0.5, 1, 2, 4, 8, 16, 32, 64, .infinity] {
            try demuxer.seek(to: target, keyframeOf: checked.streamIndex)
            restart()
            // Nothing decodable from here, or untimed frames: nothing better to look for.
            guard let first = try firstTime(of: checked) else { return }
            if first <= seconds + 0.0005 || target <= earliest || !step.isFinite { return }
            target = max(earliest, seconds - step)
        }
    }

    /// Decodes up to the first timed frame of `decoder`'s stream and returns its time (nil at
    /// the end, or when the frame has no time); every frame decoded stays queued for `next()`.
    private func firstTime(of decoder: Decoder) throws -> Double? {
        var held: [(decoder: Decoder, frame: Frame)] = []
        defer { pending = held; pendingHead = 0 }
        while let batch = try nextBatch() {
            held += batch.frames.map { (batch.decoder, $0) }
            if batch.decoder === decoder { return batch.frames[0].seconds(in: decoder.timeBase) }
        }
        return nil
    }

    private func decode(_ packet: Packet?, _ decoder: Decoder) throws -> [Frame] {
        do {
            let frames = try decoder.decode(packet)
            damage[decoder.streamIndex]?.decoded()
            return frames
        } catch let error as MediaError where error.kind == .invalidInput {
            // Only the decoder's own refusals are damage; a cancellation or anything else passes.
            guard case .conceal(let limit) = policy else { throw error }
            var streamDamage = damage[decoder.streamIndex] ?? DecodeDamage(limit: limit)
            defer { damage[decoder.streamIndex] = streamDamage }
            try streamDamage.failed(packet, error)
            return []
        }
    }
}
