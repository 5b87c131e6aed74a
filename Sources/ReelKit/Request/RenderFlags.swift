import Foundation

/// Parses the textual flag values of `reel render` (kept out of the CLI so it only parses
/// arguments and prints, and so the grammar is unit-tested).
public enum RenderFlags {
    public struct Invalid: Error { public let message: String; public init(message: String) { self.message = message } }

    public static func apply(crop: String?, trim: String?, size: String?, background: String?, to o: inout RenderOptions) throws {
        if let crop { o.crop = try parseCrop(crop) }
        if let trim { (o.trimStart, o.trimEnd) = try parseTrim(trim) }
        if let size { (o.width, o.height) = try parseSize(size) }
        if let background { o.background = try parseBackground(background) }
    }

    /// `START[:DURATION]` (duration 1–5 s, default 2), `auto[:DURATION]`, or `off`.
    public static func hook(_ s: String) throws -> RenderOptions.Hook? {
        if s == "off" || s == "none" { return nil }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { throw Invalid(message: "--hook \(s): expected START[:DURATION] or auto[:DURATION]") }
        var duration = 2.0
        if parts.count == 2 {
            guard let d = Double(parts[1]), (1...5).contains(d) else { throw Invalid(message: "--hook \(s): the duration must be 1 to 5 seconds") }
            duration = d
        }
        if parts[0] == "auto" { return .auto(duration: duration) }
        guard let start = Double(parts[0]), NumberRange.seconds.contains(start) else {
            throw Invalid(message: "--hook \(s): \(parts[0]) is not a start time in seconds (or 'auto')")
        }
        return .range(start: start, duration: duration)
    }

    /// `auto`, `on` or `off` (`name` is the flag or the plan key in the message).
    public static func deinterlace(_ s: String, name: String = "--deinterlace") throws -> DeinterlaceMode {
        guard let mode = DeinterlaceMode(rawValue: s) else { throw Invalid(message: "\(name) \(s): expected auto, on or off") }
        return mode
    }

    /// `green`, `blue` or `#RRGGBB`.
    public static func key(_ s: String) throws -> PresenterOptions.Key {
        switch s.lowercased() {
        case "green": return .green
        case "blue": return .blue
        default:
            guard case .color(let r, let g, let b) = try? parseBackground(s) else {
                throw Invalid(message: "--key \(s): expected green, blue or a colour #RRGGBB")
            }
            return .color(red: r, green: g, blue: b)
        }
    }

    /// The presenter's word-valued settings, shared by flags and plans (`prefix` names them).
    public static func applyPresenter(key: String?, mask: String?, fit: String?, fill: String?, anchor: String?,
                                      to p: inout PresenterOptions, prefix: String = "--presenter-") throws {
        func word<T: RawRepresentable & CaseIterable>(_ v: String?, _ name: String, _: T.Type) throws -> T? where T.RawValue == String {
            guard let v else { return nil }
            guard let x = T(rawValue: v) else {
                throw Invalid(message: "\(name) \(v): expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return x
        }
        if let key { p.key = try Self.key(key) }
        if let m = try word(mask, prefix == "--presenter-" ? "--mask" : prefix + "mask", PresenterOptions.Mask.self) { p.mask = m }
        if let f = try word(fit, prefix + "fit", PresenterOptions.Fit.self) { p.fit = f }
        if let f = try word(fill, prefix + "fill", PresenterFitMode.self) { p.fitMode = f }
        if let a = try word(anchor, prefix + "anchor", PresenterOptions.Anchor.self) { p.anchor = a }
    }

    public static func parseCrop(_ s: String) throws -> RenderOptions.Crop {
        if s == "auto" { return .auto }
        if s == "none" { return .none }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 4, let x = parts[0], let y = parts[1], let w = parts[2], let h = parts[3],
              x >= 0, y >= 0, w >= 2, h >= 2, [x, y, w, h].allSatisfy(NumberRange.cropPixels.contains) else {
            throw Invalid(message: "--crop \(s): expected x:y:w:h (whole pixels from 0 to \(NumberRange.cropPixels.upperBound), w and h at least 2), auto or none")
        }
        // yuv420p needs even sizes and offsets; round inward so the crop stays inside the request.
        let x2 = (x + 1) & ~1, y2 = (y + 1) & ~1
        return .rect(PixelRect(x: x2, y: y2, width: max(2, (w - (x2 - x)) & ~1), height: max(2, (h - (y2 - y)) & ~1)))
    }

    public static func parseTrim(_ s: String) throws -> (Double?, Double?) {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw Invalid(message: "--trim \(s): expected start:end in seconds, e.g. 1.5:12") }
        func value(_ p: Substring) throws -> Double? {
            if p.isEmpty { return nil }
            guard let v = Double(p), NumberRange.seconds.contains(v) else {
                throw Invalid(message: "--trim \(s): \(p) is not a time in seconds (0 to \(Int(NumberRange.seconds.upperBound)))")
            }
            return v
        }
        let start = try value(parts[0]), end = try value(parts[1])
        if let a = start, let b = end, b <= a { throw Invalid(message: "--trim \(s): the end must be after the start") }
        return (start, end)
    }

    public static func parseSize(_ s: String) throws -> (Int, Int) {
        let parts = s.lowercased().split(separator: "x").map { Int($0) }
        guard parts.count == 2, let w = parts[0], let h = parts[1], w >= 64, h >= 64, w <= 4096, h <= 4096, w % 2 == 0, h % 2 == 0 else {
            throw Invalid(message: "--size \(s): expected WxH with even numbers between 64 and 4096, e.g. 1080x1920")
        }
        return (w, h)
    }

    public static func parseBackground(_ s: String) throws -> RenderOptions.Background {
        if s == "blur" { return .blur }
        var hex = s
        if hex.hasPrefix("#") { hex.removeFirst() }
        guard hex.count == 6, let v = UInt32(hex, radix: 16) else {
            throw Invalid(message: "--background \(s): expected blur or a colour #RRGGBB")
        }
        return .color(red: UInt8(v >> 16), green: UInt8((v >> 8) & 0xFF), blue: UInt8(v & 0xFF))
    }
}
