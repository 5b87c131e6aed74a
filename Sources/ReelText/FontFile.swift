import Foundation

/// A font setting names either a fontconfig family ("Noto Sans CJK SC:bold") or a file;
/// one rule for both the text engine and the check of the files a render reads.
public enum FontFile {
    /// Whether `name` is a path to a font file rather than a family name.
    public static func isPath(_ name: String) -> Bool {
        name.contains("/") || [".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".pfb"].contains { name.lowercased().hasSuffix($0) }
    }

    /// The font file opened for FreeType, or why it cannot be (missing, a FIFO, a
    /// directory…): opened without blocking and checked on the descriptor (`RegularFile`).
    static func open(_ path: String) -> Result<RegularFile, TextError> {
        RegularFile.open(path).mapError { problem in
            let cause: String
            switch problem {
            case .missing: cause = "no such font file"
            case .loop: cause = "symbolic link loop"
            case .denied: cause = "not readable (permission denied)"
            case .special(let kind): cause = "is \(kind), not a font file"
            case .other(let text): cause = "cannot read: \(text)"
            }
            return TextError.invalidFile("\(path): \(cause)")
        }
    }
}
