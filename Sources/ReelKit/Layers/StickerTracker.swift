import Foundation
import ReelMedia

/// Moves tracked stickers with what they sit on inside the presenter's picture: the patch
/// around each one in the presenter's first frame is found again in every later picture
/// (luma block matching, translation only) and the sticker shifted by as much.
/// Used from the compose thread only.
final class StickerTracker {
    /// Sticker index → its reference patch, in picture coordinates.
    private var references: [Int: LumaPatch] = [:]
    private let radius: Int
    /// Per sticker, the last picture searched and the shift found there: returned again for
    /// the same picture, and where the search starts on the next.
    private var last: [Int: (picture: Frame, shift: (dx: Int, dy: Int))] = [:]

    /// How far the picture may move between the first frame and any other, as a fraction
    /// of its width (a swaying head, a bobbing talking head; not a walk across the frame).
    static let searchFraction = 0.05
    /// The patch reaches this far around the sticker, as a fraction of its size, so it takes
    /// in the edges of what it is printed on.
    static let margin = 0.35

    init?(stickers: [PlacedSticker], presenter: PresenterPort) throws {
        guard stickers.contains(where: { $0.track }) else { return nil }
        let first = try presenter.firstPicture()
        radius = max(4, Int(Double(first.width) * Self.searchFraction))
        for (i, s) in stickers.enumerated() where s.track {
            let mx = Int(Double(s.overlay.width) * Self.margin), my = Int(Double(s.overlay.height) * Self.margin)
            if let patch = first.lumaPatch(x: s.x - presenter.x - mx, y: s.y - presenter.y - my,
                                           width: s.overlay.width + 2 * mx, height: s.overlay.height + 2 * my), patch.usable {
                references[i] = patch
            }
        }
    }

    /// The shift of sticker `index` on this presenter picture ((0, 0) if it is not tracked).
    func shift(_ index: Int, on picture: Frame) -> (dx: Int, dy: Int) {
        guard let reference = references[index] else { return (0, 0) }
        if let l = last[index], l.picture === picture { return l.shift }
        let s = picture.locate(reference, near: last[index]?.shift ?? (0, 0), radius: radius)
        last[index] = (picture, s)
        return s
    }
}
