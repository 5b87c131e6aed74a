import Foundation

/// The part of a vertical canvas the platform's own UI leaves visible. Values are for a
/// 1080x1920 canvas and scale with the canvas size.
public struct SafeArea: Sendable, Equatable, Codable {
    public var top: Int, bottom: Int, left: Int, right: Int
    public init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top; self.bottom = bottom; self.left = left; self.right = right
    }
    /// Douyin: status bar and search on top, caption/music/comment bar at the bottom, the
    /// like/comment/share rail on the right.
    public static let douyin = SafeArea(top: 220, bottom: 480, left: 60, right: 180)

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
        let screen = CanvasLayout(template: .screen, canvasWidth: canvasWidth, canvasHeight: canvasHeight, safeArea: safeArea,
                                  hasPresenter: false, presenterIsCutOut: false, captionMargin: 0)
        panel = screen.panel(canvasWidth: canvasWidth, canvasHeight: canvasHeight, content: content)
    }
}

/// Named arrangements of the layers on the canvas. Every number has a plan override.
public enum LayoutTemplate: String, Sendable, Codable, CaseIterable {
    /// The recording alone (the presenter, if any, is placed by explicit numbers).
    case screen
    /// Screen panel above, presenter panel below the seam, captions just above the seam.
    case split
    /// Screen large, presenter in the lower-left corner (away from the right-hand UI rail),
    /// captions above the presenter.
    case pip
}

/// How a presenter picture fills its box: `contain` shows all of it (a cut-out), `cover`
/// fills the box and crops, keeping the face region in view.
public enum PresenterFitMode: String, Sendable, Codable, CaseIterable { case contain, cover }

/// Overrides of a template's numbers, in canvas pixels (nil = the template's own).
public struct LayoutOverrides: Sendable, Equatable, Codable {
    /// `split`: the y of the line between screen and presenter.
    public var seam: Int?
    /// Where the screen panel is fitted: its band's top and bottom y.
    public var screenTop: Int?
    public var screenBottom: Int?
    /// The presenter's box.
    public var presenter: PixelRect?
    /// The y of the captions' bottom edge.
    public var captionBottom: Int?
    public init() {}
}

/// Where each layer goes on this canvas: the screen band, the presenter box, the captions.
public struct CanvasLayout: Sendable, Equatable, Codable {
    public var screenTop: Int, screenHeight: Int
    public var presenterBox: PixelRect?
    public var captionBottom: Int
    public var fit: PresenterFitMode

    /// - Parameters:
    ///   - presenterIsCutOut: alpha or keyed: `contain` by default, else `cover`.
    public init(template: LayoutTemplate, canvasWidth w: Int, canvasHeight h: Int, safeArea: SafeArea,
                hasPresenter: Bool, presenterIsCutOut: Bool, captionMargin: Int, overrides o: LayoutOverrides = LayoutOverrides()) {
        let safe = safeArea.scaled(toWidth: w, height: h)
        let sy = Double(h) / 1920, sx = Double(w) / 1080
        func px(_ v: Double) -> Int { Int((v * sy).rounded()) & ~1 }
        let bottomOfSafe = h - safe.bottom
        fit = presenterIsCutOut ? .contain : .cover
        switch template {
        case .screen:
            screenTop = safe.top
            screenHeight = bottomOfSafe - safe.top
            presenterBox = nil
            captionBottom = bottomOfSafe - captionMargin
        case .split:
            let seam = o.seam ?? px(1100)
            presenterBox = PixelRect(x: 0, y: seam, width: w, height: h - seam)
            captionBottom = seam - px(16)
            // Room for two caption lines of each language between the screen and the seam.
            screenTop = safe.top
            screenHeight = max(2, seam - px(280) - safe.top)
        case .pip:
            screenTop = safe.top
            screenHeight = bottomOfSafe - safe.top
            let boxW = presenterIsCutOut ? Int((400 * sx).rounded()) & ~1 : Int((360 * sx).rounded()) & ~1
            let boxH = presenterIsCutOut ? px(540) : boxW
            // The cut-out's chest may go under the bottom UI; its face stays above it.
            let bottom = presenterIsCutOut ? bottomOfSafe + px(90) : bottomOfSafe - px(20)
            presenterBox = PixelRect(x: safe.left & ~1, y: (bottom - boxH) & ~1, width: boxW, height: boxH)
            captionBottom = (bottom - boxH) - px(12)
        }
        if !hasPresenter { presenterBox = nil; captionBottom = template == .split ? captionBottom : bottomOfSafe - captionMargin }
        if let t = o.screenTop { screenTop = t }
        if let b = o.screenBottom { screenHeight = max(2, b - screenTop) }
        if let p = o.presenter, hasPresenter { presenterBox = p }
        if let c = o.captionBottom { captionBottom = c }
    }

    /// The screen panel for content of this size: fitted into the screen band.
    public func panel(canvasWidth: Int, canvasHeight: Int, content: (width: Int, height: Int)) -> PixelRect {
        var w = Double(canvasWidth)
        var h = w * Double(content.height) / Double(max(content.width, 1))
        if h > Double(screenHeight) {
            h = Double(screenHeight)
            w = h * Double(content.width) / Double(max(content.height, 1))
        }
        let pw = min(canvasWidth, max(2, Int(w / 2) * 2))
        let ph = min(canvasHeight, max(2, Int(h / 2) * 2))
        let x = ((canvasWidth - pw) / 2) & ~1
        var y = Int((Double(screenTop) + Double(screenHeight) / 2 - Double(ph) / 2).rounded())
        y = min(max(0, y), canvasHeight - ph) & ~1
        return PixelRect(x: x, y: y, width: pw, height: ph)
    }
}
