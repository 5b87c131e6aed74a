import Foundation
import ReelMedia

/// The presenter file and how its frames are prepared for the canvas: each frame made
/// upright, keyed if asked, scaled and cropped into its box (one libavfilter graph), masked,
/// as a yuva420p picture that the compositor blends. A frame is prepared once, however many
/// output frames show it. In a render it is used by `PresenterDecodeStage` only (its own
/// thread); the compositor gets the prepared pictures through a queue (`PresenterPort`).
final class PresenterSource {
    let options: PresenterOptions
    let reader: VideoFrameReader
    /// Scaled picture size, the crop inside it, and where the crop lands on the canvas.
    let scaledWidth: Int, scaledHeight: Int
    let crop: PixelRect
    let x: Int, y: Int
    private let filter: ReconfiguringFilter
    private var cache: (source: Frame, picture: Frame)?
    private let mask: [UInt8]?
    let hasAlpha: Bool

    /// The presenter's own duration (infinity for a still).
    var duration: Double { reader.duration }

    init(options: PresenterOptions, reader: VideoFrameReader, box: PixelRect, fit: PresenterFitMode, canvasHeight: Int, safeBottom: Int,
         fps: Int, threads: Int, bitexact: Bool) throws {
        self.options = options
        self.reader = reader
        let source = SourcePicture(stream: reader.stream)
        let first = reader.firstFrame
        hasAlpha = first.color.hasAlpha
        let (dw, dh) = source.displaySize
        guard dw > 0, dh > 0 else { throw MediaError(.invalidInput, path: options.path, "the presenter has no picture size") }
        let sx = Double(box.width) / Double(dw), sy = Double(box.height) / Double(dh)
        let s = fit == .cover ? max(sx, sy) : min(sx, sy)
        scaledWidth = max(2, Int((Double(dw) * s / 2).rounded()) * 2)
        scaledHeight = max(2, Int((Double(dh) * s / 2).rounded()) * 2)
        switch fit {
        case .contain:
            crop = PixelRect(x: 0, y: 0, width: scaledWidth, height: scaledHeight)
            // Centred across the box, standing on its bottom edge.
            x = (box.x + (box.width - scaledWidth) / 2) & ~1
            y = (box.y + box.height - scaledHeight) & ~1
        case .cover:
            let cw = min(box.width, scaledWidth) & ~1, ch = min(box.height, scaledHeight) & ~1
            // The face centre goes to the middle of the part of the box the app's UI leaves visible.
            let visible = max(2, min(box.height, canvasHeight - safeBottom - box.y))
            let cx = Int(options.focusX * Double(scaledWidth) - Double(cw) / 2)
            let cy = Int(options.focusY * Double(scaledHeight) - Double(visible) * 0.45)
            crop = PixelRect(x: min(max(0, cx), scaledWidth - cw) & ~1, y: min(max(0, cy), scaledHeight - ch) & ~1, width: cw, height: ch)
            x = box.x & ~1
            y = box.y & ~1
        }
        var shape = Self.mask(options.mask, width: crop.width, height: crop.height)
        // A cut-out whose picture ends above the canvas's bottom edge would show the straight
        // line where the figure was cut (at the chest): fade its lowest eighth out instead.
        if fit == .contain, hasAlpha || options.key != nil, y + crop.height < canvasHeight - 2 {
            let w = crop.width, h = crop.height, ramp = max(2, h / 8)
            var m = shape ?? [UInt8](repeating: 255, count: w * h)
            for row in (h - ramp)..<h {
                let k = (h - row) * 255 / ramp
                for col in 0..<w { m[row * w + col] = UInt8(Int(m[row * w + col]) * k / 255) }
            }
            shape = m
        }
        mask = shape
        let flags: Filter.ScaleFlags = bitexact ? .exactBicubic : .bicubic
        let key = options.key
        let (sw, shh, c) = (scaledWidth, scaledHeight, crop)
        let (similarity, blend) = (options.keySimilarity, options.keyBlend)
        // Rebuilt when the presenter's frames change size or colour mid-stream; a frame of
        // another size than the stream declares is scaled to it first, as the recording is.
        filter = ReconfiguringFilter(timeBase: Rational(1, 1_000_000), threads: threads) { frame in
            let color = frame.color
            let conversion = ColorConversion(color, height: source.storedHeight)
            var steps = source.uprightChain(width: frame.width, height: frame.height, flags: flags)
            steps.append(.scale(sw, shh, flags: flags, conversion.scaleInputOptions))
            if c.width != sw || c.height != shh { steps.append(.crop(width: c.width, height: c.height, x: c.x, y: c.y, exact: true)) }
            // libavfilter's colorspace has no alpha formats: only opaque sources change matrix.
            if !color.hasAlpha, let matrix = conversion.matrixConversion { steps += [.format("yuv420p"), matrix] }
            if let key {
                steps += [.format("yuva444p"),
                          Filter("chromakey", ["color": key.hex, "similarity": "\(similarity)", "blend": "\(blend)"]),
                          .format("gbrap"), Filter("despill", ["type": key.spill, "mix": "0.5", "expand": "0"]),
                          .scale(nil, nil, flags: flags, [.init("out_color_matrix", "bt709"), .init("out_range", "tv")])]
            }
            steps.append(.format("yuva420p"))
            return FilterChain(steps)
        }
    }

    /// Opens the presenter file (the reader, shared with the layout decision). `deinterlace`:
    /// the render's `--deinterlace` (interlaced presenters are treated as the recording is).
    static func open(_ options: PresenterOptions, fps: Int, threads: Int, limits: ResourceLimits = ResourceLimits(),
                     deinterlace: DeinterlaceMode = .auto) throws -> VideoFrameReader {
        let info = try Probe.inspect(path: options.path, scanPackets: 0)
        guard let stream = info.video else {
            throw MediaError(.invalidInput, path: options.path, "no video stream (the presenter must be a video or an image)")
        }
        try limits.checkPicture(stream, path: options.path)
        return try VideoFrameReader(path: options.path, stream: stream, fps: fps, threads: threads, deinterlace: deinterlace)
    }

    /// Presenter time for a source-timeline time, or nil when the presenter is not shown.
    func presenterTime(atSourceTime t: Double) -> Double? {
        let p = t - options.start
        guard p >= 0 else { return nil }
        if reader.isStill { return 0 }
        let d = reader.duration
        guard d > 0, d.isFinite, p >= d else { return p }
        switch options.fit {
        case .loop: return p.truncatingRemainder(dividingBy: d)
        case .hold, .cut: return d   // the reader holds its last frame
        }
    }

    /// The prepared picture at a source-timeline time (nil = hidden).
    func picture(atSourceTime t: Double) throws -> Frame? {
        guard let p = presenterTime(atSourceTime: t) else { return nil }
        let frame = try reader.frame(at: p)
        if let cache, cache.source === frame { return cache.picture }
        let picture = try prepare(frame)
        cache = (frame, picture)
        return picture
    }

    /// The presenter's first frame, prepared like every other: what tracked stickers were
    /// placed on (their reference, whatever the output shows first).
    func firstPicture() throws -> Frame { try prepare(reader.firstFrame) }

    /// Upright, keyed, scaled, cropped and masked: a frame ready to blend.
    private func prepare(_ frame: Frame) throws -> Frame {
        let input = frame.reference()
        input.pts = 0
        guard let picture = try filter.picture(from: input) else {
            throw MediaError(.internalFailure, path: options.path, "the presenter filter produced no picture")
        }
        if let mask { try picture.multiplyAlpha(by: mask) }
        return picture
    }

    /// Canvas position of a point given in fractions of the presenter's own picture: how a
    /// sticker follows the presenter wherever the layout puts it and however it is scaled.
    func canvasPoint(x fx: Double, y fy: Double) -> (x: Double, y: Double) {
        (Double(x) + fx * Double(scaledWidth) - Double(crop.x), Double(y) + fy * Double(scaledHeight) - Double(crop.y))
    }

    /// Anti-aliased shape masks (one sample per pixel, 4x4 supersampled at the edge).
    static func mask(_ kind: PresenterOptions.Mask, width w: Int, height h: Int) -> [UInt8]? {
        guard kind != .none, w > 0, h > 0 else { return nil }
        let radius: Double = kind == .circle ? Double(min(w, h)) / 2 : Double(min(w, h)) * 0.08
        let cx = Double(w) / 2, cy = Double(h) / 2
        // Distance outside a rounded rectangle whose corner radius is `radius` (a circle when
        // the rectangle is square and radius is half its side).
        let halfW = kind == .circle ? radius : Double(w) / 2, halfH = kind == .circle ? radius : Double(h) / 2
        func inside(_ px: Double, _ py: Double) -> Bool {
            let dx = max(abs(px - cx) - (halfW - radius), 0), dy = max(abs(py - cy) - (halfH - radius), 0)
            return dx * dx + dy * dy <= radius * radius
        }
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let corners = [inside(Double(x), Double(y)), inside(Double(x + 1), Double(y)),
                               inside(Double(x), Double(y + 1)), inside(Double(x + 1), Double(y + 1))]
                if corners.allSatisfy({ $0 }) { out[y * w + x] = 255; continue }
                if !corners.contains(true) { continue }
                var n = 0
                for sy in 0..<4 { for sx in 0..<4 where inside(Double(x) + (Double(sx) + 0.5) / 4, Double(y) + (Double(sy) + 0.5) / 4) { n += 1 } }
                out[y * w + x] = UInt8(n * 255 / 16)
            }
        }
        return out
    }
}
