import Foundation

/// A range of the source timeline (seconds; `to` nil = the end of the source).
public struct EditRange: Sendable, Equatable, Codable {
    public var from: Double
    public var to: Double?
    public init(from: Double, to: Double?) { self.from = from; self.to = to }
}

/// The output as a list of source ranges played one after another: the hook first, then the
/// body, or any cut/reorder a plan asks for. Video, audio and subtitles are all read through
/// it. Each segment is a whole number of output frames and (since 48000 is a multiple of
/// every allowed rate) a whole number of audio samples, so nothing drifts at a cut.
public struct EditList: Sendable, Equatable, Codable {
    public struct Segment: Sendable, Equatable, Codable {
        /// Where the segment starts in the source, in seconds.
        public var sourceStart: Double
        /// Its length in output frames; nil = until the source ends (only the last segment).
        public var frames: Int?
        /// Index of its first output frame.
        public var outputStart: Int
        public var isHook = false

        /// Source time of output frame `outputStart + k`.
        public func sourceTime(ofLocalFrame k: Int, fps: Int) -> Double { sourceStart + Double(k) / Double(fps) }
    }

    public let fps: Int
    public private(set) var segments: [Segment]

    /// Frames of all segments when every one has a fixed length.
    public var totalFrames: Int? {
        guard let last = segments.last, let n = last.frames else { return nil }
        return last.outputStart + n
    }

    public struct Invalid: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// - Parameters:
    ///   - ranges: source ranges in play order.
    ///   - sourceDuration: how long the source is (seconds), used to check and close ranges.
    ///   - hookCount: how many leading ranges form the hook.
    public init(ranges: [EditRange], sourceDuration: Double, fps: Int, hookCount: Int = 0) throws {
        guard !ranges.isEmpty else { throw Invalid(description: "the edit list is empty") }
        self.fps = fps
        let frame = 1 / Double(fps)
        // Half a frame of slack: a range written as "to the end" by its number still counts.
        let slack = frame / 2
        var segments: [Segment] = []
        var next = 0
        for (i, range) in ranges.enumerated() {
            let name = "edit range \(i + 1) (\(Self.describe(range)))"
            guard range.from.isFinite, range.from >= 0 else { throw Invalid(description: "\(name): start must be ≥ 0") }
            guard range.from < sourceDuration - slack else {
                throw Invalid(description: "\(name) starts after the end of the source (\(Self.seconds(sourceDuration)))")
            }
            var frames: Int? = nil
            if let to = range.to {
                guard to.isFinite, to > range.from else { throw Invalid(description: "\(name): end must be after start") }
                guard to <= sourceDuration + slack else {
                    throw Invalid(description: "\(name) ends after the end of the source (\(Self.seconds(sourceDuration)))")
                }
                let n = FrameClock<Int>.slot(of: min(to, sourceDuration) - range.from, fps: fps)
                guard n >= 1 else { throw Invalid(description: "\(name) is shorter than one frame") }
                // A last range that reaches the end stays open: the source's real end decides.
                if !(i == ranges.count - 1 && to >= sourceDuration - slack) { frames = n }
            } else if i != ranges.count - 1 {
                frames = max(1, FrameClock<Int>.slot(of: sourceDuration - range.from, fps: fps))
            }
            segments.append(Segment(sourceStart: range.from, frames: frames, outputStart: next, isHook: i < hookCount))
            next += frames ?? 0
        }
        self.segments = segments
    }

    /// The whole source (or a trimmed part of it) in one segment.
    public static func single(from: Double, to: Double?, sourceDuration: Double, fps: Int) throws -> EditList {
        try EditList(ranges: [EditRange(from: from, to: to)], sourceDuration: sourceDuration, fps: fps)
    }

    /// Just output frame `n` (for a preview): one frame of its segment, starting where it shows.
    public func single(frame n: Int) -> EditList? {
        guard let (i, local) = locate(frame: n) else { return nil }
        var copy = self
        var s = segments[i]
        s.sourceStart = s.sourceTime(ofLocalFrame: local, fps: fps)
        s.frames = 1
        s.outputStart = 0
        copy.segments = [s]
        return copy
    }

    /// The segment holding output frame `n` and the frame's index inside it.
    public func locate(frame n: Int) -> (segment: Int, local: Int)? {
        guard n >= 0 else { return nil }
        for (i, s) in segments.enumerated().reversed() where n >= s.outputStart {
            if let f = s.frames, n >= s.outputStart + f { return nil }
            return (i, n - s.outputStart)
        }
        return nil
    }

    /// Source time shown at output frame `n`.
    public func sourceTime(ofFrame n: Int) -> Double? {
        locate(frame: n).map { segments[$0.segment].sourceTime(ofLocalFrame: $0.local, fps: fps) }
    }

    /// Output seconds where each later segment begins (the cuts).
    public var cuts: [Double] { segments.dropFirst().map { Double($0.outputStart) / Double(fps) } }

    static func describe(_ r: EditRange) -> String {
        "\(seconds(r.from))–\(r.to.map(seconds) ?? "end")"
    }
    static func seconds(_ s: Double) -> String { String(format: "%.3g s", s) }
}
