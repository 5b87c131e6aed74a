import Foundation
import ReelMedia

/// `--crop auto`: samples frames evenly across the video as small grayscale pictures
/// (upright, square pixels) and asks ContentRegionDetector for one steady region.
enum CropFinder {
    static let sampleCount = 12
    static let sampleWidth = 480

    static func find(path: String, source: SourcePicture, videoStream: Int, duration: Double?,
                     targetAspect: Double, trimStart: Double?, trimEnd: Double?) throws -> PixelRect? {
        let display = source.displaySize
        let demuxer = try Demuxer(path: path)
        demuxer.keepOnly([videoStream])
        let decoder = try Decoder(demuxer, stream: videoStream)
        let origin = demuxer.startTime(of: videoStream)
        let start = trimStart ?? 0
        let end = trimEnd ?? (duration ?? start + 1)
        let sampleHeight = max(2, Int(Double(sampleWidth) * Double(display.height) / Double(max(display.width, 1))) & ~1)
        var graph: FilterGraph? = nil
        var samples: [GrayImage] = []
        for k in 0..<sampleCount {
            let target = start + (end - start) * (Double(k) + 0.5) / Double(sampleCount)
            try demuxer.seek(to: origin + target)
            var picked: Frame? = nil
            reading: while let packet = try demuxer.readPacket() {
                for frame in (try? decoder.decode(packet)) ?? [] {
                    picked = frame
                    if let t = frame.seconds(in: decoder.timeBase), t - origin >= target - 0.02 { break reading }
                }
            }
            if picked == nil { picked = ((try? decoder.decode(nil)) ?? []).last }
            decoder.reset()
            guard let frame = picked else { continue }
            if graph == nil {
                graph = try FilterGraph("[in]\(source.uprightFilters)scale=\(sampleWidth):\(sampleHeight):flags=area,format=gray[out]",
                                        input: frame, timeBase: Rational(1, 1_000_000))
            }
            let input = frame.reference()
            input.pts = Int64(k)
            if let gray = try graph!.process(input).first, let pixels = gray.grayPixels() {
                samples.append(GrayImage(width: gray.width, height: gray.height, pixels: pixels))
            }
        }
        guard samples.count >= 2 else { return nil }
        return ContentRegionDetector(targetAspect: targetAspect)
            .detect(samples: samples, frameWidth: display.width, frameHeight: display.height)
    }
}
