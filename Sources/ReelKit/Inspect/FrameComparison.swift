import Foundation
import ReelMedia

/// `reel hash A --compare B`: walks both files' decoded pictures in order and reports the
/// first differing frame and the PSNR of every frame (Y, U and V bytes together).
public enum FrameComparison {
    public struct Frame: Sendable, Codable {
        public var index: Int
        public var seconds: Double
        public var identical: Bool
        /// dB; nil when identical (infinite).
        public var psnr: Double?
    }
    public struct Result: Sendable, Codable {
        public var frames: [Frame]
        public var countA: Int
        public var countB: Int
        public var firstDifference: Int? { frames.first { !$0.identical }?.index }
        public var minimumPSNR: Double? { frames.compactMap(\.psnr).min() }
        /// Differ beyond `tolerance` (minimum acceptable PSNR in dB; nil = must be identical).
        public func differs(tolerance: Double?) -> Bool {
            if countA != countB { return true }
            guard let t = tolerance else { return firstDifference != nil }
            return frames.contains { ($0.psnr ?? .infinity) < t }
        }
    }

    public static func compare(_ a: String, _ b: String) throws -> Result {
        let ra = try PictureReader(path: a), rb = try PictureReader(path: b)
        var frames: [Frame] = []
        var countA = 0, countB = 0
        while true {
            let fa = try ra.next(), fb = try rb.next()
            if fa != nil { countA += 1 }
            if fb != nil { countB += 1 }
            guard let fa, let fb else {
                // Count the rest of the longer file.
                while try ra.next() != nil { countA += 1 }
                while try rb.next() != nil { countB += 1 }
                break
            }
            let ha = FrameHasher.md5(video: fa.frame), hb = FrameHasher.md5(video: fb.frame)
            let same = ha == hb
            var psnr: Double? = nil
            if !same {
                let ia = try fa.frame.rgbImage(), ib = try fb.frame.rgbImage(width: fa.frame.width, height: fa.frame.height)
                psnr = ia.psnr(against: ib)
            }
            frames.append(Frame(index: frames.count, seconds: fa.seconds, identical: same, psnr: psnr))
        }
        return Result(frames: frames, countA: countA, countB: countB)
    }
}

/// Decoded pictures of a file's video stream, one at a time (bit-exact decoding).
final class PictureReader {
    let decoder: Decoder
    private let frames: DecodedFrames

    init(path: String) throws {
        let demuxer = try Demuxer(path: path)
        guard let v = demuxer.bestStream(.video) else { throw MediaError(.invalidInput, path: path, "no video stream") }
        decoder = try Decoder(demuxer, stream: v, bitexact: true)
        // A comparison must not skip a frame: the first damaged packet fails it.
        frames = DecodedFrames(demuxer, decoder: decoder, damaged: .fail)
    }

    func next() throws -> (frame: ReelMedia.Frame, seconds: Double)? {
        guard let f = try frames.next() else { return nil }
        return (f, f.seconds(in: decoder.timeBase) ?? 0)
    }
}
