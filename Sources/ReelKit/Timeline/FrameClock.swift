import Foundation

/// Turns source frames with arbitrary (variable) timestamps into a constant frame rate, the
/// way FFmpeg's fps filter does with round-to-nearest: a source frame at time t owns output
/// slot round(t * fps); each output slot shows the latest frame whose slot is not after it.
/// Slots are computed from timestamps, never by counting frames, so there is no drift.
struct FrameClock<Item> {
    let fps: Int
    /// Output slots end here when the end is fixed in advance (a trim end); otherwise the end
    /// is where the source's last frame ends, given to `finish`.
    let fixedEndSlot: Int?
    private(set) var nextSlot = 0
    private var held: Item?

    init(fps: Int, endTime: Double?) {
        self.fps = fps
        fixedEndSlot = endTime.map { max(1, Self.slot(of: $0, fps: fps)) }
    }

    static func slot(of seconds: Double, fps: Int) -> Int {
        Int((seconds * Double(fps)).rounded(.toNearestOrAwayFromZero))
    }

    /// Accepts a source frame at `seconds` (relative to the output start; negative before a
    /// trim start) and returns the output slots that are now final, each with the item to
    /// show. The first frame also fills the slots before it: never a black start.
    mutating func add(_ item: Item, at seconds: Double) -> [(slot: Int, item: Item)] {
        let slot = Self.slot(of: seconds, fps: fps)
        var out: [(slot: Int, item: Item)] = []
        let limit = min(slot, fixedEndSlot ?? Int.max)
        while nextSlot < limit {
            out.append((nextSlot, held ?? item))
            nextSlot += 1
        }
        held = item
        return out
    }

    /// True once a fixed end is reached: later source frames are not needed.
    var isComplete: Bool { fixedEndSlot.map { nextSlot >= $0 } ?? false }

    /// At the end of the source, whose last frame ends at `sourceEnd` seconds: the last frame
    /// is held to the end slot.
    mutating func finish(sourceEnd: Double) -> [(slot: Int, item: Item)] {
        guard let held else { return [] }
        let end = min(fixedEndSlot ?? Int.max, max(1, Self.slot(of: sourceEnd, fps: fps)))
        var out: [(slot: Int, item: Item)] = []
        while nextSlot < end {
            out.append((nextSlot, held))
            nextSlot += 1
        }
        return out
    }
}
