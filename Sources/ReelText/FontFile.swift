import Foundation

/// A font setting names either a fontconfig family ("Noto Sans CJK SC:bold") or a file;
/// one rule for both the text engine and the check of the files a render reads.
public enum FontFile {
    /// Whether `name` is a path to a font file rather than a family name.
    public static func isPath(_ name: String) -> Bool {
        name.contains("/") || [".ttf", ".otf", ".ttc", ".otc", ".woff", ".woff2", ".pfb"].contains { name.lowercased().hasSuffix($0) }
    }

    /// Why `path` cannot be opened as a font file (missing, a FIFO, a directory…), nil when it can.
    /// Checked before FreeType opens it: opening a FIFO blocks forever.
    static func problem(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return errno == ELOOP ? "symbolic link loop" : "no such font file" }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return access(path, R_OK) == 0 ? nil : "not readable (permission denied)"
        case S_IFDIR: return "is a directory, not a font file"
        case S_IFIFO: return "is a FIFO (named pipe), not a font file"
        default: return "is a special file, not a font file"
        }
    }
}
