import Foundation
import ReelMedia

/// A source that opens on black or blank frames (a fade-in, a phone that starts dark, a
/// recorder's first empty frames) would give the video a black first frame: on Douyin the
/// cover and the first impression. The body starts at the first frame with content instead.
enum LeadingBlank {
    /// Seconds from the start of the video stream to its first frame with content, when the
    /// source opens on blank frames; nil when the first frame has content, or when nothing
    /// within `limit` seconds has (a dark video is kept as it is).
    /// Damaged packets follow the render's rule (`DecodedFrames`); the thumbnail graph follows
    /// a mid-stream change of size or format.
    static func contentStart(path: String, limit: Double) throws -> Double? {
        let demuxer = try Demuxer(path: path)
        guard let v = demuxer.bestStream(.video) else { return nil }
        let decoder = try Decoder(demuxer, stream: v, threads: 1)
        let frames = DecodedFrames(demuxer, decoder: decoder)
        let origin = demuxer.startTime(of: v)
        let thumbnail = ReconfiguringFilter(FilterChain([.scale(64, 36, flags: .area), .format("gray")]), timeBase: decoder.timeBase)
        /// Once out of the blank frames: the mean level and time of the last frame seen while
        /// a fade-in is still brightening the picture.
        var fading: (mean: Double, time: Double)? = nil
        while let frame = try frames.next() {
            guard let t = frame.seconds(in: decoder.timeBase) else { continue }
            if t - origin > limit { return fading.map { $0.time } }
            guard let small = try thumbnail.picture(from: frame), let luma = small.grayPixels() else { continue }
            let mean = Double(luma.reduce(0) { $0 + Int($1) }) / Double(luma.count)
            if let f = fading {
                // A fade-in ends where the picture stops brightening by more than a level a frame.
                if mean - f.mean <= 1 { return f.time }
                fading = (mean, t - origin)
            } else if !isBlank(luma) {
                if t - origin <= 0.0005 { return nil }   // content from the first frame
                fading = (mean, t - origin)
            }
        }
        return fading?.time
    }

    /// Blank: dark (98 % of a 64x36 luma thumbnail at or under 40, about blackdetect's 10 %
    /// threshold) or flat (98 % within 6 levels: one solid colour).
    static func isBlank(_ luma: [UInt8]) -> Bool {
        guard !luma.isEmpty else { return true }
        let sorted = luma.sorted()
        let low = sorted[sorted.count * 2 / 100], high = sorted[min(sorted.count - 1, sorted.count * 98 / 100)]
        return high <= 40 || high - low <= 6
    }
}
