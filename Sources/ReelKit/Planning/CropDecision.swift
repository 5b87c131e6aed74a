import Foundation
import ReelMedia

/// What part of the recording the screen panel features, why, and how large its text will be
/// on the phone. The tool exists to make a screen recording readable on a phone, so unless
/// told otherwise it features the content column of a landscape recording rather than
/// shrinking the whole screen (browser chrome, side bars and ~7 px text) to the canvas width.
struct CropDecision {
    var rect: PixelRect
    /// One phrase for the summary line: what was featured and why.
    var reason: String
    /// Estimated font size of the featured text on the phone, in pixels of a 1080-wide canvas.
    var phoneTextSize: Double?
    /// Set when that size is below `readableTextSize`, with a tighter crop to try.
    var warning: String?

    /// Text smaller than this (px on a 1080-wide canvas) is hard to read on a phone held at
    /// arm's length; Douyin's own captions are ~40 px, its comment text ~30.
    static let readableTextSize = 18.0

    /// The default: featured by `auto` when the recording is landscape and would be shown
    /// smaller than its own pixels in the screen band, unless its text is readable whole;
    /// portrait and already-small recordings keep the whole picture.
    static func featuresColumnByDefault(display: (width: Int, height: Int), band: (width: Int, height: Int)) -> Bool {
        let fitted = min(Double(band.width) / Double(max(display.width, 1)), Double(band.height) / Double(max(display.height, 1)))
        return display.width > display.height && fitted < 1
    }

    static func decide(options o: RenderOptions, path: String, source: SourcePicture, videoStream: Int, duration: Double?,
                       layout: CanvasLayout) throws -> CropDecision {
        let display = source.displaySize
        let full = PixelRect(x: 0, y: 0, width: display.width & ~1, height: display.height & ~1)
        let band = (width: o.width, height: max(2, layout.screenHeight))
        let sizeText = "\(display.width)x\(display.height)"
        let auto: Bool
        var decision: CropDecision
        switch o.crop {
        case .none:
            auto = false
            decision = CropDecision(rect: full, reason: "the whole picture (--crop none)")
        case .rect(let r):
            guard r.width >= 2, r.height >= 2, r.x >= 0, r.y >= 0,
                  r.x + r.width <= display.width, r.y + r.height <= display.height else {
                throw MediaError(.usage, path: path, "--crop \(r) is outside the \(sizeText) picture")
            }
            auto = false
            decision = CropDecision(rect: r, reason: "--crop \(r)")
        case .auto:
            auto = true
            decision = CropDecision(rect: full, reason: "--crop auto")
        case .byDefault:
            auto = featuresColumnByDefault(display: display, band: band)
            decision = CropDecision(rect: full, reason: auto
                ? "auto, the default for a \(sizeText) recording wider than its \(band.width)x\(band.height) screen band with small text (--crop none keeps the whole picture)"
                : "the whole picture (a \(display.width > display.height ? "small" : "portrait") \(sizeText) recording fits its screen band)")
        }
        // Text is measured on a few full-size frames whatever the crop; only auto needs the
        // small samples. Measuring is advice: a recording it cannot sample still renders.
        let samples: RecordingSamples?
        if auto {
            samples = try CropFinder.sample(path: path, source: source, videoStream: videoStream, duration: duration,
                                            trimStart: o.trimStart, trimEnd: o.trimEnd,
                                            count: CropFinder.sampleCount, fullEvery: 4, small: true)
            // By default a recording whose text is readable whole (slides, a zoomed-in page)
            // stays whole: cropping is the remedy for small text, not a goal.
            if o.crop == .byDefault, let size = TextSizeEstimator.fontSize(frames: samples!.full, region: full) {
                var whole = decision
                whole.measure(sourceFontSize: size, layout: layout, options: o, display: display)
                if whole.warning == nil {
                    whole.reason = "the whole picture: its text is readable as it is (--crop auto features its content column)"
                    return whole
                }
            }
            // Capped to the aspect of the band the panel will fill (not the whole safe band):
            // in `split` a tall column would otherwise be shrunk to half the canvas width.
            let bandAspect = Double(band.width) / Double(band.height)
            if let found = CropFinder.find(samples: samples!, source: source, targetAspect: bandAspect) {
                decision.rect = found
                decision.reason += ": \(ContentRegionDetector.summary)"
            } else {
                decision.reason += ": no distinct content region found, so the whole picture"
            }
        } else {
            samples = try? CropFinder.sample(path: path, source: source, videoStream: videoStream, duration: duration,
                                             trimStart: o.trimStart, trimEnd: o.trimEnd, count: 3, fullEvery: 1, small: false)
        }
        if let frames = samples?.full, let size = TextSizeEstimator.fontSize(frames: frames, region: decision.rect) {
            decision.measure(sourceFontSize: size, layout: layout, options: o, display: display)
        }
        return decision
    }

    /// Scales the measured source font size to the phone and, when it is too small, says so
    /// with a crop that would make it readable.
    mutating func measure(sourceFontSize: Double, layout: CanvasLayout, options o: RenderOptions, display: (width: Int, height: Int)) {
        let panel = layout.panel(canvasWidth: o.width, canvasHeight: o.height, content: (rect.width, rect.height))
        let onPhone = sourceFontSize * Double(panel.width) / Double(max(rect.width, 1)) * 1080 / Double(o.width)
        phoneTextSize = onPhone
        guard onPhone < Self.readableTextSize else { return }
        // The same panel shows a region smaller by `f` in both directions with text 1/f larger.
        let f = onPhone / Self.readableTextSize
        let w = max(2, Int(Double(rect.width) * f) & ~1), h = max(2, Int(Double(rect.height) * f) & ~1)
        let x = min(max(0, rect.x + (rect.width - w) / 2), display.width - w) & ~1
        let tighter = PixelRect(x: x, y: rect.y & ~1, width: w, height: h)
        warning = String(format: "the featured text will be about %.0f px high on the phone (readable from %.0f px); "
                         + "feature a narrower region, e.g. --crop %@", onPhone, Self.readableTextSize, tighter.description)
    }

    /// For the summary line.
    var summary: String {
        var text = "featured region \(rect.width)x\(rect.height) at \(rect.x),\(rect.y): \(reason)"
        if let size = phoneTextSize { text += String(format: "; its text is about %.0f px high on the phone", size) }
        return text
    }
}
