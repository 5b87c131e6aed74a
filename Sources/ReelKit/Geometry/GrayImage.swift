import Foundation

/// An 8-bit single-channel picture (typically downscaled luma), row-major,
/// `pixels.count == width * height`.
public struct GrayImage: Sendable {
    public let width: Int
    public let height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
