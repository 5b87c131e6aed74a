import Foundation

/// One libavfilter filter with its options, as typed values. Rendering to libavfilter's
/// text happens in one place (`FilterChain.description`), with both levels of escaping
/// (option values, then the graph), so no caller assembles or escapes filter strings.
public struct Filter: Sendable, Hashable {
    /// An option: `key=value`, or a positional value (key nil) such as scale's `640:360`.
    public struct Option: Sendable, Hashable {
        public var key: String?
        public var value: String
        public init(_ key: String?, _ value: String) { self.key = key; self.value = value }
    }

    public var name: String
    public var options: [Option]

    /// A filter by name; options in order. Names and keys are libavfilter identifiers.
    public init(_ name: String, _ options: [Option] = []) {
        precondition(!name.isEmpty && name.allSatisfy(Filter.isIdentifier), "not a filter name: \(name)")
        precondition(options.allSatisfy { $0.key.map { !$0.isEmpty && $0.allSatisfy(Filter.isIdentifier) } ?? true },
                     "not an option name in \(name)")
        self.name = name
        self.options = options
    }

    /// A filter whose options are all named, in the given order.
    public init(_ name: String, _ named: KeyValuePairs<String, String>) {
        self.init(name, named.map { Option($0.key, $0.value) })
    }

    static func isIdentifier(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }

    /// libavfilter's text for this filter (option values escaped for the option parser; the
    /// graph level is escaped by the chain).
    var optionText: String {
        guard !options.isEmpty else { return "" }
        return "=" + options.map { o in
            let value = Filter.escape(o.value, special: "\\':=")
            return o.key.map { "\($0)=\(value)" } ?? value
        }.joined(separator: ":")
    }

    /// Backslash before every character the parser at that level treats specially, and before
    /// whitespace (which av_get_token would otherwise trim at either end).
    static func escape(_ text: String, special: String) -> String {
        var out = ""
        for c in text {
            if special.contains(c) || c.isWhitespace { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

/// Typed constructors for the filters reel uses.
extension Filter {
    /// libswscale flags (`flags=` of scale): the algorithm and accuracy switches.
    public struct ScaleFlags: Sendable, Hashable, ExpressibleByArrayLiteral {
        public var names: [String]
        public init(arrayLiteral elements: String...) { names = elements }
        public init(_ names: [String]) { self.names = names }
        public static let area: ScaleFlags = ["area"]
        public static let neighbor: ScaleFlags = ["neighbor"]
        public static let bicubic: ScaleFlags = ["bicubic"]
        public static let bilinear: ScaleFlags = ["bilinear"]
        /// Bit-exact, accurately rounded bicubic: the C paths, identical on every CPU.
        public static let exactBicubic: ScaleFlags = ["bicubic", "accurate_rnd", "bitexact"]
        public static let exactBilinear: ScaleFlags = ["bilinear", "accurate_rnd", "bitexact"]
        var text: String { names.joined(separator: "+") }
    }

    /// `scale=W:H[:flags=…][extra options]`; nil sizes keep the input's (`scale=flags=…`).
    public static func scale(_ width: Int?, _ height: Int?, flags: ScaleFlags? = nil, _ extra: [Option] = []) -> Filter {
        var options: [Option] = []
        if let width, let height { options = [Option(nil, "\(width)"), Option(nil, "\(height)")] }
        if let flags { options.append(Option("flags", flags.text)) }
        return Filter("scale", options + extra)
    }

    /// `crop=W:H[:X:Y][:exact=1]`; without a position the crop is centred. `exact`: the
    /// position is not rounded to the chroma grid (odd offsets of 4:2:0 stay where asked).
    public static func crop(width: Int, height: Int, x: Int? = nil, y: Int? = nil, exact: Bool = false) -> Filter {
        var options = [width, height].map { Option(nil, "\($0)") }
        if let x, let y { options += [Option(nil, "\(x)"), Option(nil, "\(y)")] }
        if exact { options.append(Option("exact", "1")) }
        return Filter("crop", options)
    }

    /// `split=N`: N copies of the input, one per labelled output.
    public static func split(_ count: Int) -> Filter { Filter("split", [Option(nil, "\(count)")]) }

    /// `overlay=X:Y[options]`: the second input drawn over the first at (x, y).
    public static func overlay(x: Int, y: Int, _ options: KeyValuePairs<String, String> = [:]) -> Filter {
        Filter("overlay", [Option(nil, "\(x)"), Option(nil, "\(y)")] + options.map { Option($0.key, $0.value) })
    }

    /// `format=NAME`: converts to (or asserts) a pixel format by libav's name.
    public static func format(_ pixelFormat: String) -> Filter { Filter("format", [Option(nil, pixelFormat)]) }

    public static func pad(width: Int, height: Int, x: Int, y: Int, color: String) -> Filter {
        Filter("pad", ["\(width)", "\(height)", "\(x)", "\(y)"].map { Option(nil, $0) } + [Option("color", color)])
    }

    public static func boxblur(_ options: KeyValuePairs<String, String>) -> Filter { Filter("boxblur", options) }

    /// libavfilter's bwdif deinterlacer: one frame per frame, field order from the frames;
    /// `allFrames` false touches only frames flagged interlaced.
    public static func bwdif(allFrames: Bool) -> Filter {
        Filter("bwdif", ["mode": "send_frame", "parity": "auto", "deint": allFrames ? "all" : "interlaced"])
    }

    public enum Turn: String, Sendable { case clock, cclock }
    public static func transpose(_ turn: Turn) -> Filter { Filter("transpose", [Option(nil, turn.rawValue)]) }
    public static let hflip = Filter("hflip")
    public static let vflip = Filter("vflip")
    public static let null = Filter("null")
    /// Square pixels from here on.
    public static let squarePixels = Filter("setsar", [Option(nil, "1")])
}

/// A chain of filters (`a,b,c`), optionally with labelled pads (`[x]a,b[y]`), and graphs of
/// several chains (`…;…`). An empty chain renders as `null`.
public struct FilterChain: Sendable, Hashable, CustomStringConvertible {
    public var inputs: [String]
    public var filters: [Filter]
    public var outputs: [String]

    public init(_ filters: [Filter] = [], inputs: [String] = ["in"], outputs: [String] = ["out"]) {
        precondition((inputs + outputs).allSatisfy { !$0.isEmpty && $0.allSatisfy(Filter.isIdentifier) }, "bad pad label")
        self.inputs = inputs
        self.filters = filters
        self.outputs = outputs
    }

    public var isEmpty: Bool { filters.isEmpty }

    /// This chain followed by more filters.
    public static func + (chain: FilterChain, more: [Filter]) -> FilterChain {
        var c = chain
        c.filters += more
        return c
    }

    /// libavfilter's graph text: option values escaped for the option parser, then the whole
    /// filter arguments escaped for the graph parser (`[ ] , ;` and quotes end a token there).
    public var description: String {
        let body = (filters.isEmpty ? [Filter.null] : filters).map { f in
            f.name + Filter.escape(f.optionText, special: "\\'[],;")
        }.joined(separator: ",")
        return inputs.map { "[\($0)]" }.joined() + body + outputs.map { "[\($0)]" }.joined()
    }
}

/// Several labelled chains, joined with `;` (a split into a blurred fill and an overlay, …).
/// The graph as a whole reads `[in]` and writes `[out]`; the labels in between join chains.
public struct FilterGraphText: Sendable, Hashable, CustomStringConvertible {
    public var chains: [FilterChain]
    public init(_ chains: [FilterChain]) { self.chains = chains }
    /// A graph of one chain.
    public init(_ chain: FilterChain) { chains = [chain] }
    public var description: String { chains.map(\.description).joined(separator: ";") }
}
