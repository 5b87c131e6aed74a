import Foundation
import ReelMedia
import ReelText

/// Text or an image attached to a layer: the "AI" printed on the presenter's cap. Its
/// position is in the coordinates of the layer it belongs to (fractions of the presenter's
/// own picture, or of the canvas), so it moves and scales with that layer.
public struct StickerSpec: Sendable, Equatable, Codable {
    public enum Layer: String, Sendable, Codable, CaseIterable { case presenter, canvas }
    public var text: String?
    public var image: String?
    public var layer: Layer = .presenter
    /// Centre of the sticker, fractions of the layer (0…1, from the left / top).
    public var x = 0.5, y = 0.5
    /// Width of the sticker as a fraction of the layer's width.
    public var size = 0.2
    /// Degrees clockwise.
    public var rotation = 0.0
    public var color = RGBA(255, 255, 255)
    public var font = "Noto Sans CJK SC:bold"
    /// A thin dark outline keeps light text readable on any background (0 = none).
    public var outline = 0.0
    /// Follow what the sticker sits on inside the presenter's picture (the cap on a swaying
    /// head), found again in every frame by matching its surroundings; off: fixed in the box.
    public var track = false
    public init() {}

    public struct Invalid: Error, CustomStringConvertible { public let description: String }

    /// `text=AI,layer=presenter,x=0.5,y=0.12,size=0.18,color=#fff,rotate=-8` (or `image=cap.png`).
    public static func parse(_ spec: String) throws -> StickerSpec {
        var s = StickerSpec()
        for part in spec.split(separator: ",", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else { throw Invalid(description: "--sticker '\(spec)': '\(part)' is not key=value") }
            try s.set(kv[0], kv[1], context: "--sticker '\(spec)'")
        }
        try s.check(context: "--sticker '\(spec)'")
        return s
    }

    mutating func set(_ key: String, _ value: String, context: String) throws {
        func number() throws -> Double {
            guard let v = Double(value), v.isFinite else { throw Invalid(description: "\(context): \(key)=\(value) is not a number") }
            return v
        }
        switch key {
        case "text": text = value
        case "image": image = value
        case "layer":
            guard let l = Layer(rawValue: value) else { throw Invalid(description: "\(context): layer=\(value): expected presenter or canvas") }
            layer = l
        case "x": x = try number()
        case "y": y = try number()
        case "size": size = try number()
        case "rotate", "rotation": rotation = try number()
        case "outline": outline = try number()
        case "color", "colour":
            guard let c = RGBA(hex: value) else { throw Invalid(description: "\(context): color=\(value): expected #RGB, #RRGGBB or #RRGGBBAA") }
            color = c
        case "font": font = value
        case "track":
            switch value.lowercased() {
            case "on", "true", "yes", "1": track = true
            case "off", "false", "no", "0": track = false
            default: throw Invalid(description: "\(context): track=\(value): expected on or off")
            }
        default: throw Invalid(description: "\(context): unknown key '\(key)' (text, image, layer, x, y, size, rotate, color, font, outline, track)")
        }
    }

    func check(context: String) throws {
        guard (text != nil) != (image != nil) else { throw Invalid(description: "\(context): give text=… or image=… (one of them)") }
        guard size > 0, size <= 4 else { throw Invalid(description: "\(context): size=\(size) must be a fraction of the layer's width (0…4]") }
        guard (-2...3).contains(x), (-2...3).contains(y) else { throw Invalid(description: "\(context): x and y are fractions of the layer (0…1)") }
        guard (0...10).contains(outline) else { throw Invalid(description: "\(context): outline=\(outline): expected 0 to 10 (a twentieth of the text size per unit)") }
        guard (-360...360).contains(rotation) else { throw Invalid(description: "\(context): rotate=\(rotation): expected -360 to 360 degrees") }
        guard !track || layer == .presenter else { throw Invalid(description: "\(context): track=on follows the presenter's picture: it needs layer=presenter") }
    }
}

/// A sticker rasterized once: its overlay and where it goes on the canvas.
struct PlacedSticker {
    let overlay: Overlay
    let x: Int, y: Int
    let track: Bool

    /// - Parameters:
    ///   - layerWidth: the attached layer's width on the canvas, in pixels.
    ///   - centre: the sticker's centre on the canvas.
    init(_ spec: StickerSpec, layerWidth: Double, centre: (x: Double, y: Double), rasterizer: TextRasterizer,
         limits: ResourceLimits = ResourceLimits()) throws {
        let width = max(4, spec.size * layerWidth)
        var rgba: (pixels: [UInt8], width: Int, height: Int)
        if let text = spec.text {
            // Measure at a reference size, then render at the size that gives the asked width.
            var style = TextStyle(font: spec.font, size: 100, color: spec.color, outlineWidth: 0, outlineColor: RGBA(0, 0, 0),
                                  shadowOffset: (0, 0), shadowBlur: 0, shadowColor: RGBA(0, 0, 0, 0))
            let reference = max(1, rasterizer.measure(text, style: style))
            style.size = max(6, Int((100 * width / reference).rounded()))
            style.outlineWidth = spec.outline * Double(style.size) / 20
            let image = try rasterizer.render(lines: [[TextRun(text)]], style: style)
            rgba = (image.pixels, image.width, image.height)
        } else {
            let picture = try StillImage.read(spec.image!, limits: limits)
            let h = max(1, Int((width * Double(picture.height) / Double(max(1, picture.width))).rounded()))
            rgba = (try picture.frame.premultipliedRGBA(width: Int(width.rounded()), height: h), Int(width.rounded()), h)
        }
        if spec.rotation != 0 { rgba = Self.rotate(rgba, degrees: spec.rotation) }
        overlay = Overlay(premultipliedRGBA: rgba.pixels, width: rgba.width, height: rgba.height)
        x = Int((centre.x - Double(rgba.width) / 2).rounded())
        y = Int((centre.y - Double(rgba.height) / 2).rounded())
        track = spec.track
    }

    /// Rotates premultiplied RGBA about its centre (bilinear), growing the canvas to fit.
    static func rotate(_ image: (pixels: [UInt8], width: Int, height: Int), degrees: Double) -> (pixels: [UInt8], width: Int, height: Int) {
        let a = degrees * .pi / 180, c = cos(a), s = sin(a)
        let w = Double(image.width), h = Double(image.height)
        let nw = Int((abs(w * c) + abs(h * s)).rounded(.up)) + 2, nh = Int((abs(w * s) + abs(h * c)).rounded(.up)) + 2
        var out = [UInt8](repeating: 0, count: nw * nh * 4)
        let (icx, icy, ocx, ocy) = (w / 2, h / 2, Double(nw) / 2, Double(nh) / 2)
        for oy in 0..<nh {
            for ox in 0..<nw {
                // Inverse mapping: where this output pixel's centre comes from.
                let dx = Double(ox) + 0.5 - ocx, dy = Double(oy) + 0.5 - ocy
                let sx = c * dx + s * dy + icx - 0.5, sy = -s * dx + c * dy + icy - 0.5
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Double(x0), fy = sy - Double(y0)
                for ch in 0..<4 {
                    var v = 0.0
                    for (xx, yy, wgt) in [(x0, y0, (1 - fx) * (1 - fy)), (x0 + 1, y0, fx * (1 - fy)), (x0, y0 + 1, (1 - fx) * fy), (x0 + 1, y0 + 1, fx * fy)]
                    where xx >= 0 && yy >= 0 && xx < image.width && yy < image.height {
                        v += Double(image.pixels[(yy * image.width + xx) * 4 + ch]) * wgt
                    }
                    out[(oy * nw + ox) * 4 + ch] = UInt8(min(255, v.rounded()))
                }
            }
        }
        return (out, nw, nh)
    }
}

/// A picture file (PNG, JPEG, WebP, a video's first frame) decoded once, upright.
struct StillImage {
    let frame: Frame
    var width: Int { frame.width }
    var height: Int { frame.height }

    static func read(_ path: String, limits: ResourceLimits = ResourceLimits()) throws -> StillImage {
        let info = try Probe.inspect(path: path, scanPackets: 0)
        guard let stream = info.video else { throw MediaError(.invalidInput, path: path, "not an image") }
        try limits.checkPicture(stream, path: path)
        let reader = try VideoFrameReader(path: path, stream: stream, fps: 30, threads: 1)
        let source = SourcePicture(stream: stream)
        guard !source.uprightChain.isEmpty else { return StillImage(frame: reader.firstFrame) }
        let graph = try FilterGraph(FilterChain(source.uprightChain), input: reader.firstFrame, timeBase: Rational(1, 1_000_000))
        guard let upright = try graph.process(reader.firstFrame.reference()).first else {
            throw MediaError(.invalidInput, path: path, "cannot turn the picture upright")
        }
        return StillImage(frame: upright)
    }
}
