import Foundation

/// The part of a vertical canvas the platform's own UI leaves visible. Values are for a
/// 1080x1920 canvas and scale with the canvas size.
public struct SafeArea: Sendable, Equatable {
    public var top: Int, bottom: Int, left: Int, right: Int
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top; self.bottom = bottom; self.left = left; self.right = right
    }
    /// Douyin: status bar and search on top, caption/music/comment bar at the bottom, the
    /// like/comment/share rail on the right.
    public static let douyin = SafeArea(top: 220, bottom: 480, left: 60, right: 180)

    /// The vertical band between the top and bottom UI on a canvas: its top and height.
    public func band(canvasWidth: Int, canvasHeight: Int) -> (top: Int, height: Int) {
        let s = scaled(toWidth: canvasWidth, height: canvasHeight)
        return (s.top, max(2, canvasHeight - s.top - s.bottom))
    }

    /// The same margins on a canvas of another size.
    public func scaled(toWidth width: Int, height: Int) -> SafeArea {
        let sx = Double(width) / 1080, sy = Double(height) / 1920
        return SafeArea(top: Int((Double(top) * sy).rounded()), bottom: Int((Double(bottom) * sy).rounded()),
                        left: Int((Double(left) * sx).rounded()), right: Int((Double(right) * sx).rounded()))
    }
}

/// Where the featured recording goes on the canvas: fitted to the width (or, for tall crops,
/// to the height of the safe band), centred in the safe band — the upper-middle of the frame.
public struct PanelLayout: Sendable, Equatable {
    public var canvasWidth: Int, canvasHeight: Int
    public var panel: PixelRect

    public init(canvasWidth: Int, canvasHeight: Int, content: (width: Int, height: Int), safeArea: SafeArea) {
        self.canvasWidth = canvasWidth
        self.canvasHeight = canvasHeight
        let (bandTop, bandHeight) = safeArea.band(canvasWidth: canvasWidth, canvasHeight: canvasHeight)
        var w = Double(canvasWidth)
        var h = w * Double(content.height) / Double(max(content.width, 1))
        if h > Double(bandHeight) {
            h = Double(bandHeight)
            w = h * Double(content.width) / Double(max(content.height, 1))
        }
        let pw = min(canvasWidth, max(2, Int(w / 2) * 2))
        let ph = min(canvasHeight, max(2, Int(h / 2) * 2))
        let x = ((canvasWidth - pw) / 2) & ~1
        let centreY = Double(bandTop) + Double(bandHeight) / 2
        var y = Int((centreY - Double(ph) / 2).rounded())
        y = min(max(0, y), canvasHeight - ph) & ~1
        panel = PixelRect(x: x, y: y, width: pw, height: ph)
    }
}
