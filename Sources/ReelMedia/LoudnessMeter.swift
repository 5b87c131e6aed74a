import Foundation

/// EBU R128 / ITU-R BS.1770 measurements of a whole stream.
public struct Loudness: Sendable, Equatable, Codable {
    /// Integrated loudness in LUFS. Silence (nothing above the -70 LUFS absolute gate) is
    /// -70, the value ffmpeg's ebur128 reports, so it stays a finite, printable number.
    public var integrated: Double
    /// Highest true peak over all channels (4x oversampled), dBTP; -infinity for digital silence.
    public var truePeak: Double
    /// Highest sample peak over all channels, dBFS; -infinity for digital silence.
    public var samplePeak: Double
    /// Loudness range in LU (0 when too short or too steady to have one).
    public var range: Double

    public static let silenceIntegrated = -70.0

    public init(integrated: Double, truePeak: Double, samplePeak: Double, range: Double) {
        self.integrated = integrated
        self.truePeak = truePeak
        self.samplePeak = samplePeak
        self.range = range
    }

    /// True when no 400 ms block rose above the absolute gate.
    public var isSilent: Bool { !(integrated > Self.silenceIntegrated) }

    enum CodingKeys: String, CodingKey { case integrated, truePeak, samplePeak, range }

    /// JSON has no infinity: the peaks of digital silence are written as null.
    public func encode(to encoder: Swift.Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, value) in [(CodingKeys.integrated, integrated), (.truePeak, truePeak), (.samplePeak, samplePeak), (.range, range)] {
            if value.isFinite { try c.encode(value, forKey: key) } else { try c.encodeNil(forKey: key) }
        }
    }

    public init(from decoder: Swift.Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func value(_ key: CodingKeys) throws -> Double { try c.decodeIfPresent(Double.self, forKey: key) ?? -.infinity }
        self.init(integrated: try value(.integrated), truePeak: try value(.truePeak),
                  samplePeak: try value(.samplePeak), range: try c.decodeIfPresent(Double.self, forKey: .range) ?? 0)
    }
}

/// Measures integrated loudness, loudness range and peaks of 48 kHz stereo planar float audio.
///
/// Loudness and range come from libavfilter's `ebur128` (the meter platforms and ffmpeg use),
/// read from the `lavfi.r128.I` / `lavfi.r128.LRA` metadata it attaches to each 100 ms frame:
/// the last frame's values are exactly the ones its end-of-stream summary prints, but without
/// parsing a log. Peaks are not read from that metadata, which prints linear values with three
/// decimals (useless below about -40 dBFS): the sample peak is taken here from the samples, and
/// the true peak from the same 4x libswresample upsampling ebur128 uses (`aresample=192000`,
/// default settings).
public final class LoudnessMeter {
    public static let sampleRate = 48000
    private let r128: AudioFilterGraph
    /// nil when the true peak is not asked for.
    private let upsampler: AudioFilterGraph?
    private var integrated = Loudness.silenceIntegrated
    private var range = 0.0
    private var samplePeak: Float = 0
    private var truePeak: Float = 0
    private var result: Loudness?

    /// - Parameter truePeak: false skips the true peak (the result's `truePeak` is NaN, "not
    ///   measured"): its 4x upsampling costs more CPU than the loudness itself, and a pass that
    ///   only needs the integrated loudness (a layer's level, a limiter check) does not read it.
    public init(truePeak: Bool = true) throws {
        r128 = try AudioFilterGraph([Filter("ebur128", ["metadata": "1"])], sampleRate: Self.sampleRate)
        upsampler = truePeak ? try AudioFilterGraph([Filter("aresample", [.init(nil, "\(4 * Self.sampleRate)")])], sampleRate: Self.sampleRate) : nil
    }

    /// Adds the next samples: two channels of equal length at 48 kHz.
    public func add(_ channels: [[Float]]) throws {
        precondition(result == nil, "LoudnessMeter.add after finish")
        _ = try AudioFilterGraph.validate(channels)
        samplePeak = max(samplePeak, Self.peak(channels))
        take(try r128.process(channels))
        if let upsampler { truePeak = max(truePeak, Self.peak(try upsampler.process(channels).map(\.channels))) }
    }

    /// Ends the stream and returns the measurements of everything added.
    public func finish() throws -> Loudness {
        if let result { return result }
        take(try r128.finish())
        // The upsampler is not flushed, as ebur128 does not flush its own: the ringing of an
        // abrupt end would count otherwise, and ffmpeg's numbers would not be matched. A true
        // peak is never below the sample peak, so the last samples still count through that.
        truePeak = max(truePeak, samplePeak)
        let loudness = Loudness(integrated: integrated, truePeak: upsampler == nil ? .nan : Self.decibels(truePeak),
                                samplePeak: Self.decibels(samplePeak), range: range)
        result = loudness
        return loudness
    }

    /// Keeps the latest integrated loudness and range; frames shorter than 100 ms carry none.
    private func take(_ chunks: [AudioChunk]) {
        for chunk in chunks {
            if let i = chunk.metadata["lavfi.r128.I"].flatMap(Double.init) { integrated = i }
            if let r = chunk.metadata["lavfi.r128.LRA"].flatMap(Double.init) { range = r }
        }
    }

    static func peak(_ channels: [[Float]]) -> Float {
        var m: Float = 0
        for channel in channels {
            channel.withUnsafeBufferPointer { for x in $0 { m = max(m, abs(x)) } }
        }
        return m
    }

    static func peak(_ chunks: [[[Float]]]) -> Float { chunks.reduce(0) { max($0, peak($1)) } }

    static func decibels(_ linear: Float) -> Double { linear > 0 ? 20 * log10(Double(linear)) : -.infinity }
}

extension LoudnessMeter {
    /// Decodes the best audio stream of a file (the one ffmpeg and the render pick), resampled to
    /// 48 kHz stereo as the render does, and measures it. nil when the file has no audio stream.
    /// `truePeak` as in `init`.
    public static func measure(path: String, truePeak: Bool = true) throws -> Loudness? {
        let demuxer = try Demuxer(path: path)
        guard let index = demuxer.bestStream(.audio) else { return nil }
        let decoder = try Decoder(demuxer, stream: index)
        let resampler = Resampler(outputRate: sampleRate)
        let meter = try LoudnessMeter(truePeak: truePeak)
        // A measurement must not skip audio: the first damaged packet fails it.
        let frames = DecodedFrames(demuxer, decoder: decoder, damaged: .fail)
        while let frame = try frames.next() { try meter.add(try resampler.convert(frame)) }
        try meter.add(try resampler.flush())
        return try meter.finish()
    }
}
