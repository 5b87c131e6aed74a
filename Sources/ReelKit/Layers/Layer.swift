import Foundation
import ReelMedia

/// Where one output frame sits: the source picture and time it shows, and its place in
/// the edit list (the hook, the cut after it).
struct LayerContext {
    let source: SourceFrame
    /// Seconds on the source timeline.
    let time: Double
    let segment: EditList.Segment
    /// Frame index inside the segment.
    let slot: Int
    /// The segment before this one is the hook (this is the cut into the body).
    let afterHook: Bool
    /// Set by the compositor for one `draw`: it holds no other reference to `picture` and will
    /// not reuse it, so the layer may draw into it (no full-frame copy) instead of a reference.
    var ownsPicture = false
    /// The next output frame shows this very source frame again (a frame-rate conversion
    /// repeating it): the screen layer keeps its canvas for it (see `LayerState.reusable`).
    var nextShowsSameSource = false

    /// What a layer draws into: `picture` itself when the compositor handed it over
    /// (`ownsPicture`), else a new reference to it, which the blend copies on first write.
    func target(_ picture: Frame?) -> Frame { ownsPicture ? picture! : picture!.reference() }
}

/// What a layer draws at one frame. Two equal states draw the same pixels on the same
/// picture, so the compositor reuses the last result instead of drawing again. `object` is
/// compared by identity and held, so it cannot be freed and its address reused.
struct LayerState: Equatable {
    var object: AnyObject?
    var values: [Double] = []
    /// False when the layer will not give this state again (its picture is not kept for a
    /// repeat): the compositor then keeps neither the state nor the result, so the layers
    /// above draw into that picture in place instead of copying it (3 MB a 1080x1920 frame)
    /// for a reuse that cannot come. Not part of equality.
    var reusable = true

    static func == (a: LayerState, b: LayerState) -> Bool { a.object === b.object && a.values == b.values }
}

/// One layer of the canvas (screen, presenter, stickers, title, headline, hook zoom,
/// captions, flash), drawn bottom to top. A new layer conforms, says what its state is at a
/// frame, and is added to `Compositor`'s list in `ComposeStage`.
protocol Layer: AnyObject {
    /// Its state at this frame; nil when it draws nothing here.
    func state(_ c: LayerContext) throws -> LayerState?
    /// `picture` (nil only for the bottom layer) with this layer drawn over it. Never draws
    /// into `picture` itself unless `c.ownsPicture`: the compositor may hand it out again.
    func draw(on picture: Frame?, _ c: LayerContext, state: LayerState) throws -> Frame
}
