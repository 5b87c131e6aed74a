import Foundation
import ReelMedia

/// Frames of the recording sampled evenly across the used range as grayscale pictures
/// (upright, square pixels): small ones for ContentRegionDetector, full-size ones for
/// TextSizeEstimator.
struct RecordingSamples {
    /// `CropFinder.sampleWidth` wide.
    var small: [GrayImage] = []
    /// At display size; a few only (a 1920x1080 one is 2 MB).
    var full: [GrayImage] = []
}

/// `--crop auto`: samples frames evenly across the video and asks ContentRegionDetector for
/// one steady region.
enum CropFinder {
    static let sampleCount = 12
    static let sampleWidth = 480

    /// `count` frames evenly spread over the trimmed range; every `fullEvery`-th one (from the
    /// middle of each group) is also kept at full size. `small: false` keeps only those.
    /// Damaged packets follow the render's rule (`DecodedFrames`); a frame of another size
    /// than the stream declared is scaled to it, so every sample has the display size.
    static func sample(path: String, source: SourcePicture, videoStream: Int, duration: Double?,
                       trimStart: Double?, trimEnd: Double?, count: Int, fullEvery: Int, small: Bool) throws -> RecordingSamples {
        let display = source.displaySize
        let demuxer = try Demuxer(path: path)
        let decoder = try Decoder(demuxer, stream: videoStream)
        let frames = DecodedFrames(demuxer, decoder: decoder)
        let origin = demuxer.startTime(of: videoStream)
        let start = trimStart ?? 0
        let end = trimEnd ?? (duration ?? start + 1)
        let sampleHeight = max(2, Int(Double(sampleWidth) * Double(display.height) / Double(max(display.width, 1))) & ~1)
        func upright(_ frame: Frame) -> [Filter] { source.uprightChain(width: frame.width, height: frame.height, flags: .area) }
        let smallGray = ReconfiguringFilter(timeBase: Rational(1, 1_000_000)) { frame in
            FilterChain(upright(frame) + [.scale(sampleWidth, sampleHeight, flags: .area), .format("gray")])
        }
        let fullGray = ReconfiguringFilter(timeBase: Rational(1, 1_000_000)) { frame in
            FilterChain(upright(frame) + [.format("gray")])
        }
        var out = RecordingSamples()
        for k in 0..<count {
            let keepFull = k % fullEvery == fullEvery / 2
            guard small || keepFull else { continue }
            let target = start + (end - start) * (Double(k) + 0.5) / Double(count)
            try frames.seek(to: origin + target)
            var picked: Frame? = nil
            while let frame = try frames.next() {
                picked = frame
                if let t = frame.seconds(in: decoder.timeBase), t - origin >= target - 0.02 { break }
            }
            guard let frame = picked else { continue }
            if small, let image = try gray(frame, through: smallGray, pts: k) { out.small.append(image) }
            if keepFull, let image = try gray(frame, through: fullGray, pts: k) { out.full.append(image) }
        }
        return out
    }

    private static func gray(_ frame: Frame, through filter: ReconfiguringFilter, pts: Int) throws -> GrayImage? {
        let input = frame.reference()
        input.pts = Int64(pts)
        guard let gray = try filter.picture(from: input), let pixels = gray.grayPixels() else { return nil }
        return GrayImage(width: gray.width, height: gray.height, pixels: pixels)
    }

    /// The featured region of the samples, or nil when none stands out.
    static func find(samples: RecordingSamples, source: SourcePicture, targetAspect: Double) -> PixelRect? {
        guard samples.small.count >= 2 else { return nil }
        let display = source.displaySize
        return ContentRegionDetector(targetAspect: targetAspect)
            .detect(samples: samples.small, frameWidth: display.width, frameHeight: display.height)
    }
}
