import Foundation
import ReelMedia
import ReelText

/// `reel sheet`: a PNG grid of a video's frames at chosen moments, each labelled with its
/// time, to see a whole render (or a layout at a few moments) at a glance.
public enum ContactSheet {
    public struct Options: Sendable {
        public var input: String
        public var output: String
        /// Frames evenly spaced: the middle of `count` equal parts, so no tile is a fade-in's first frame.
        public var count = 12
        /// Explicit moments in seconds, shown in this order; overrides `count`.
        public var times: [Double]?
        /// nil: 4 for portrait videos (tall tiles), 3 otherwise, never more than the tiles.
        public var columns: Int?
        public var tileWidth = 270
        public var labels = true
        /// nil: the file name, size and duration; "": no title line.
        public var title: String?
        public var force = false
        public init(input: String, output: String) { self.input = input; self.output = output }
    }

    public struct Summary: Sendable {
        public var output: String
        public var tiles: Int
        public var columns: Int
        public var rows: Int
        public var width: Int
        public var height: Int
        /// Frames the decoder produced; far fewer than the video has when seeking works.
        public var decodedFrames: Int
    }

    /// Layout in pixels: outer margin and the gap between tiles.
    public static let margin = 12
    public static let gap = 8
    static let background: (UInt8, UInt8, UInt8) = (32, 32, 34)
    static let labelStrip: (UInt8, UInt8, UInt8) = (20, 20, 22)
    static let font = "Noto Sans CJK SC"
    static let maximumSide = 16384

    public struct Invalid: Error { public let message: String }

    /// Parses `--at`: comma-separated times, each seconds (`1.5`) or minutes:seconds (`1:02.5`).
    public static func parseTimes(_ s: String) throws -> [Double] {
        let items = s.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var times: [Double] = []
        for item in items {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            var value: Double? = nil
            if (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && Double($0) != nil }) {
                let numbers = parts.map { Double($0)! }
                let bounded = numbers.dropFirst().allSatisfy { $0 < 60 } && numbers.dropLast().allSatisfy { $0 == $0.rounded() }
                if bounded { value = numbers.reduce(0) { $0 * 60 + $1 } }
            }
            guard let v = value, v.isFinite, v >= 0 else {
                throw Invalid(message: "--at \(s): '\(item)' is not a time (seconds like 1.5, or minutes:seconds like 1:02.5)")
            }
            times.append(v)
        }
        guard times.count <= 100 else { throw Invalid(message: "--at \(s): at most 100 times") }
        return times
    }

    /// `mm:ss.cc` (or `h:mm:ss.cc` past an hour), rounded to hundredths.
    public static func timestamp(_ seconds: Double) -> String {
        let cs = Int((max(0, seconds) * 100).rounded())
        let h = cs / 360_000, m = cs / 6000 % 60, s = cs / 100 % 60, c = cs % 100
        return h > 0 ? String(format: "%d:%02d:%02d.%02d", h, m, s, c) : String(format: "%02d:%02d.%02d", m, s, c)
    }

    /// The moments for `count` evenly spaced tiles: the middle of each of `count` equal parts.
    public static func evenTimes(count: Int, duration: Double) -> [Double] {
        (0..<count).map { duration * (Double($0) + 0.5) / Double(count) }
    }

    public static func make(_ o: Options, onWarning: (String) -> Void) throws -> Summary {
        guard (1...100).contains(o.count) else { throw MediaError(.usage, path: "", "--count \(o.count): expected 1…100 frames") }
        if let c = o.columns, !(1...50).contains(c) { throw MediaError(.usage, path: "", "--columns \(c): expected 1…50") }
        guard (32...1920).contains(o.tileWidth) else { throw MediaError(.usage, path: "", "--width \(o.tileWidth): expected 32…1920 pixels") }
        if let times = o.times, times.isEmpty { throw MediaError(.usage, path: "", "--at: no times given") }

        guard let index = try Demuxer(path: o.input).bestStream(.video) else { throw MediaError(.invalidInput, path: o.input, "no video stream") }
        let info = try Probe.inspect(path: o.input, scanPackets: 0)
        guard let stream = info.streams.first(where: { $0.index == index }) else { throw MediaError(.invalidInput, path: o.input, "no video stream") }
        let source = SourcePicture(stream: stream)
        let display = source.displaySize
        guard display.width > 0, display.height > 0 else { throw MediaError(.invalidInput, path: o.input, "the video stream has no picture size") }
        let duration = info.duration ?? stream.duration

        let times: [Double]
        if let explicit = o.times { times = explicit }
        else {
            guard let duration, duration > 0 else {
                throw MediaError(.invalidInput, path: o.input, "the duration is unknown; give the moments with --at")
            }
            times = evenTimes(count: o.count, duration: duration)
        }

        let tileHeight = max(2, Int((Double(o.tileWidth) * Double(display.height) / Double(display.width)).rounded()))
        let columns = min(o.columns ?? (display.height > display.width ? 4 : 3), times.count)
        let rows = (times.count + columns - 1) / columns

        let text = try TextBlocks(tileWidth: o.tileWidth, sheetWidth: 2 * margin + columns * o.tileWidth + (columns - 1) * gap)
        let title = o.title ?? defaultTitle(o.input, display: display, duration: duration)
        let titleImage = title.isEmpty ? nil : try text.title(title)
        let labelHeight = o.labels ? text.labelStripHeight : 0
        let titleHeight = titleImage.map { $0.height - 2 * $0.padding + margin } ?? 0
        let width = 2 * margin + columns * o.tileWidth + (columns - 1) * gap
        let height = 2 * margin + titleHeight + rows * (tileHeight + labelHeight) + (rows - 1) * gap
        guard width <= maximumSide, height <= maximumSide else {
            throw MediaError(.usage, path: "", "the sheet would be \(width)x\(height) pixels; use fewer frames or columns, or a smaller --width")
        }

        let output = try OutputFile(destination: o.output, inputs: [o.input], force: o.force, kind: "png")
        var canvas = RGBImage(width: width, height: height, pixels: [UInt8](repeating: 0, count: width * height * 3))
        canvas.fill(x: 0, y: 0, width: width, height: height, background)
        if let titleImage { canvas.draw(titleImage, x: margin - titleImage.padding, y: margin - titleImage.padding) }

        let sampler = try FrameSampler(path: o.input, stream: index, duration: duration)
        let order = times.indices.sorted { times[$0] < times[$1] }
        // One graph while the pictures keep their size, format and colour (nearly always).
        let toRGB = ReconfiguringFilter(timeBase: Rational(1, 1)) { frame in
            let quarterTurn = source.rotation % 180 == 90
            let (w, h) = quarterTurn ? (tileHeight, o.tileWidth) : (o.tileWidth, tileHeight)
            return FilterChain([.scale(w, h, flags: ["area", "accurate_rnd", "full_chroma_int"],
                                       ColorConversion.rgbInputOptions(frame.color, height: frame.height)),
                                .format("rgb24")] + source.rotationChain + [.squarePixels])
        }
        var pastEnd: [Double] = []
        var lastFrameTime = 0.0
        var slot = 0
        try sampler.sample(order.map { times[$0] }) { sample in
            let tile = order[slot]
            slot += 1
            let input = sample.frame.reference()
            input.pts = Int64(slot)
            guard let picture = try toRGB.process(input).first?.rgbPixels() else {
                throw MediaError(.internalFailure, path: o.input, "converting a frame to RGB produced nothing")
            }
            let x = margin + (tile % columns) * (o.tileWidth + gap)
            let y = margin + titleHeight + (tile / columns) * (tileHeight + labelHeight + gap)
            canvas.paste(picture, x: x, y: y)
            if o.labels {
                canvas.fill(x: x, y: y + tileHeight, width: o.tileWidth, height: labelHeight, labelStrip)
                let label = try text.label(timestamp(sample.time) + (sample.pastEnd ? " (end)" : ""))
                canvas.draw(label, x: x + (o.tileWidth - label.width) / 2,
                            y: y + tileHeight + (labelHeight - label.height) / 2)
            }
            if sample.pastEnd { pastEnd.append(sample.requested); lastFrameTime = sample.time }
        }
        // Video that stops well before the stream's stated duration was cut off: say so
        // rather than fill the sheet with its last frame.
        if !pastEnd.isEmpty, let stated = stream.duration, stated - lastFrameTime > max(1.0, stated * 0.1) {
            throw MediaError(.invalidInput, path: o.input,
                             String(format: "truncated: video ends at %.2f s of the %.2f s the file declares", lastFrameTime, stated))
        }
        if !pastEnd.isEmpty {
            let list = pastEnd.map { String(format: "%.4g s", $0) }.joined(separator: ", ")
            onWarning("\(o.input): \(list) \(pastEnd.count == 1 ? "is" : "are") past the last frame (\(timestamp(lastFrameTime))); showing that frame")
        }

        do {
            try PNGFile.write(canvas, to: output.temporary)
            try output.commit()
        } catch { throw output.reported(error) }
        return Summary(output: o.output, tiles: times.count, columns: columns, rows: rows,
                       width: width, height: height, decodedFrames: sampler.decodedFrames)
    }

    static func defaultTitle(_ path: String, display: (width: Int, height: Int), duration: Double?) -> String {
        var parts = [URL(fileURLWithPath: path).lastPathComponent, "\(display.width)x\(display.height)"]
        if let duration { parts.append(timestamp(duration)) }
        return parts.joined(separator: "  ·  ")
    }
}

/// The sheet's text, sized from the tiles: timestamps and the title line.
private struct TextBlocks {
    let rasterizer: TextRasterizer
    let labelStyle: TextStyle
    let titleStyle: TextStyle
    let sheetWidth: Int
    /// Height of the strip under a tile: the text's ascender-to-descender box plus a little air.
    let labelStripHeight: Int

    init(tileWidth: Int, sheetWidth: Int) throws {
        do { rasterizer = try TextRasterizer() } catch let e as TextError {
            throw MediaError(.unavailable, path: ContactSheet.font, e.description)
        }
        let size = min(32, max(12, tileWidth / 15))
        labelStyle = TextStyle(font: ContactSheet.font, size: size, color: .white, outlineWidth: max(1.5, Double(size) / 10), outlineColor: .black)
        titleStyle = TextStyle(font: ContactSheet.font, size: min(36, max(14, sheetWidth / 40)), color: RGBA(230, 230, 230))
        self.sheetWidth = sheetWidth
        let probe = try Self.render(rasterizer, "00:00.00", labelStyle)
        labelStripHeight = probe.height - 2 * probe.padding + size / 2
    }

    func label(_ text: String) throws -> TextImage { try Self.render(rasterizer, text, labelStyle) }

    /// The title on one line: smaller down to 12 px if it is too wide, then cut with "…".
    func title(_ text: String) throws -> TextImage {
        let room = Double(sheetWidth - 2 * ContactSheet.margin)
        var style = titleStyle
        while style.size > 12, rasterizer.measure(text, style: style) > room { style.size -= 1 }
        var line = text, kept = text.count
        while kept > 1, rasterizer.measure(line, style: style) > room {
            kept -= 1
            line = String(text.prefix(kept)).trimmingCharacters(in: .whitespaces) + "…"
        }
        return try Self.render(rasterizer, line, style)
    }

    static func render(_ r: TextRasterizer, _ text: String, _ style: TextStyle) throws -> TextImage {
        do { return try r.render(lines: [[TextRun(text)]], style: style) } catch let e as TextError {
            throw MediaError(.unavailable, path: style.font, e.description)
        }
    }
}

extension RGBImage {
    /// Copies `picture` with its top-left corner at (x, y), clipped to this image.
    mutating func paste(_ picture: RGBImage, x: Int, y: Int) {
        let cols = min(picture.width, width - x)
        guard cols > 0, x >= 0 else { return }
        for row in 0..<picture.height where y + row >= 0 && y + row < height {
            let s = row * picture.width * 3, d = ((y + row) * width + x) * 3
            pixels.replaceSubrange(d..<d + cols * 3, with: picture.pixels[s..<s + cols * 3])
        }
    }

    mutating func fill(x: Int, y: Int, width w: Int, height h: Int, _ colour: (UInt8, UInt8, UInt8)) {
        for row in max(0, y)..<min(height, y + h) {
            for col in max(0, x)..<min(width, x + w) {
                let i = (row * width + col) * 3
                pixels[i] = colour.0; pixels[i + 1] = colour.1; pixels[i + 2] = colour.2
            }
        }
    }

    /// Blends premultiplied RGBA text "over" the picture at (x, y), clipped to it.
    mutating func draw(_ text: TextImage, x: Int, y: Int) {
        for row in 0..<text.height where y + row >= 0 && y + row < height {
            for col in 0..<text.width where x + col >= 0 && x + col < width {
                let s = (row * text.width + col) * 4
                let a = Int(text.pixels[s + 3])
                if a == 0 { continue }
                let d = ((y + row) * width + x + col) * 3
                for c in 0..<3 {
                    pixels[d + c] = UInt8(min(255, Int(text.pixels[s + c]) + (Int(pixels[d + c]) * (255 - a) + 127) / 255))
                }
            }
        }
    }
}
