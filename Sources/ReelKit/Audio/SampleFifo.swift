/// Stereo samples waiting to be encoded.
struct SampleFifo {
    private var left: [Float] = [], right: [Float] = []
    private var head = 0
    var count: Int { left.count - head }

    mutating func append(_ channels: [[Float]], dropping skip: Int) {
        guard channels.count >= 2, skip < channels[0].count else { return }
        left.append(contentsOf: channels[0][skip...])
        right.append(contentsOf: channels[1][skip...])
    }
    mutating func appendSilence(_ n: Int) {
        guard n > 0 else { return }
        left.append(contentsOf: repeatElement(0, count: n))
        right.append(contentsOf: repeatElement(0, count: n))
    }
    mutating func take(_ n: Int) -> [[Float]] {
        let out = [Array(left[head..<head + n]), Array(right[head..<head + n])]
        head += n
        if head > 1 << 16 { left.removeFirst(head); right.removeFirst(head); head = 0 }
        return out
    }
}
