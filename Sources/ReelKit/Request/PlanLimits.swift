import Foundation

/// Bounds on a plan file, checked on its bytes before any YAML is composed. The YAML library
/// expands aliases as it builds its tree and hashes every mapping key to find duplicates, so
/// an "alias bomb" (a few lines whose aliases double at each level) used as a key runs for
/// hours; a deep `[[[[…` nesting recurses once per level. Real plans are a few kilobytes,
/// use an anchor or two and nest four levels deep.
public struct PlanLimits: Sendable, Equatable, Codable {
    /// Largest plan file, in bytes (`--limit plan-bytes=N`, or `--plan-max-bytes`).
    public var maximumBytes: Int
    /// Most aliases (`*name`) in a plan (`--limit plan-aliases=N`, or `--plan-max-aliases`).
    public var maximumAliases: Int

    public init(maximumBytes: Int = 1 << 20, maximumAliases: Int = 64) {
        self.maximumBytes = maximumBytes
        self.maximumAliases = maximumAliases
    }

    /// How much larger than the file its aliases may make it: the work of building and
    /// checking the tree grows with this expanded size.
    public static let expansionFactor = 16
    /// Deepest nesting of brackets and braces.
    public static let maximumFlowDepth = 64

    /// Throws a `PlanError` naming the bound that `data` exceeds.
    public func check(_ data: Data) throws {
        guard data.count <= maximumBytes else {
            throw PlanError(description: "plan is \(data.count) bytes, over the limit of \(maximumBytes) (--limit plan-bytes=N raises it)")
        }
        let scan = PlanAliasScan(data, budget: maximumBytes * Self.expansionFactor)
        guard scan.aliases <= maximumAliases else {
            throw PlanError(description: "plan has \(scan.aliases) aliases (*name), over the limit of \(maximumAliases) (--limit plan-aliases=N raises it)")
        }
        guard scan.expandedBytes <= maximumBytes * Self.expansionFactor else {
            throw PlanError(description: "plan's aliases expand it past \(maximumBytes * Self.expansionFactor) bytes (\(Self.expansionFactor) × --limit plan-bytes)")
        }
        guard scan.flowDepth <= Self.maximumFlowDepth else {
            throw PlanError(description: "plan nests brackets more than \(Self.maximumFlowDepth) levels deep")
        }
    }
}

/// A lexical pass over YAML bytes that over-estimates, never under-estimates, what the YAML
/// library will build: it ignores quoting and comments, so an `&` or `*` inside a string
/// counts as an anchor or an alias. An alias's node lies wholly before the alias (an anchor
/// is registered when its node is complete) and after the first `&name`, so it expands to at
/// most the expanded size of everything between the two; an alias whose anchor was never
/// seen counts as everything before it.
struct PlanAliasScan {
    private(set) var aliases = 0
    /// Upper bound of the bytes the document stands for once aliases are expanded
    /// (saturates just past `budget`).
    private(set) var expandedBytes = 0
    private(set) var flowDepth = 0

    init(_ data: Data, budget: Int) {
        let bytes = [UInt8](data)
        var firstAnchor: [ArraySlice<UInt8>: Int] = [:]   // name → expandedBytes at its first `&`
        var depth = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "&") || b == UInt8(ascii: "*") {
                var end = i + 1
                while end < bytes.count, !Self.endsName(bytes[end]) { end += 1 }
                let name = bytes[(i + 1)..<end]
                if !name.isEmpty {
                    if b == UInt8(ascii: "&") {
                        if firstAnchor[name] == nil { firstAnchor[name] = expandedBytes }
                    } else {
                        aliases += 1
                        expandedBytes += expandedBytes - (firstAnchor[name] ?? 0)
                    }
                }
                expandedBytes += end - i
                i = end
            } else {
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") { depth += 1; flowDepth = max(flowDepth, depth) }
                if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") { depth = max(0, depth - 1) }
                expandedBytes += 1
                i += 1
            }
            // Past the budget the answer is known; saturate so the sum cannot overflow.
            expandedBytes = min(expandedBytes, budget + 1)
        }
    }

    /// Bytes that end an anchor or alias name: blanks and flow indicators.
    private static func endsName(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: ",")
            || b == UInt8(ascii: "[") || b == UInt8(ascii: "]") || b == UInt8(ascii: "{") || b == UInt8(ascii: "}")
    }
}
