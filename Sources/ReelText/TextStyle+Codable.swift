import Foundation

/// A colour is written as its four channels, so a resolved render (ReelKit's `RenderJob`)
/// can be stored and read back exactly.
extension RGBA: Codable {
    private enum Keys: String, CodingKey { case r, g, b, a }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(try c.decode(UInt8.self, forKey: .r), try c.decode(UInt8.self, forKey: .g),
                  try c.decode(UInt8.self, forKey: .b), try c.decode(UInt8.self, forKey: .a))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(r, forKey: .r); try c.encode(g, forKey: .g); try c.encode(b, forKey: .b); try c.encode(a, forKey: .a)
    }
}

/// Written by hand: the shadow offset is a tuple, which Codable cannot synthesize.
extension TextStyle: Codable {
    private enum Keys: String, CodingKey {
        case font, size, color, emphasisColor, outlineWidth, outlineColor, shadowX, shadowY, shadowBlur, shadowColor, lineSpacing
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(font: try c.decode(String.self, forKey: .font), size: try c.decode(Int.self, forKey: .size),
                  color: try c.decode(RGBA.self, forKey: .color), emphasisColor: try c.decode(RGBA.self, forKey: .emphasisColor),
                  outlineWidth: try c.decode(Double.self, forKey: .outlineWidth), outlineColor: try c.decode(RGBA.self, forKey: .outlineColor),
                  shadowOffset: (try c.decode(Int.self, forKey: .shadowX), try c.decode(Int.self, forKey: .shadowY)),
                  shadowBlur: try c.decode(Int.self, forKey: .shadowBlur), shadowColor: try c.decode(RGBA.self, forKey: .shadowColor),
                  lineSpacing: try c.decode(Double.self, forKey: .lineSpacing))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(font, forKey: .font); try c.encode(size, forKey: .size); try c.encode(color, forKey: .color)
        try c.encode(emphasisColor, forKey: .emphasisColor); try c.encode(outlineWidth, forKey: .outlineWidth)
        try c.encode(outlineColor, forKey: .outlineColor); try c.encode(shadowOffset.x, forKey: .shadowX)
        try c.encode(shadowOffset.y, forKey: .shadowY); try c.encode(shadowBlur, forKey: .shadowBlur)
        try c.encode(shadowColor, forKey: .shadowColor); try c.encode(lineSpacing, forKey: .lineSpacing)
    }
}
