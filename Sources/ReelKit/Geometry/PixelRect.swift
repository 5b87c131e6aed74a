import Foundation

/// A rectangle in whole pixels, origin at the top-left of the frame.
public struct PixelRect: Equatable, Sendable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// `x:y:w:h`, the same syntax the `--crop` flag accepts, so a detected
    /// region can be printed and pasted back.
    public var description: String { "\(x):\(y):\(width):\(height)" }
}
