internal import CText
import Foundation

/// A loaded font face: FreeType for outlines, HarfBuzz for shaping. Not shared across
/// threads (FreeType faces are not thread-safe); a TextRasterizer owns its library.
final class FontFace {
    let face: UnsafeMutablePointer<FT_FaceRec_>
    let hbFont: OpaquePointer
    let path: String
    let index: Int
    let familyName: String
    private var currentSize = 0
    /// Colour bitmap fonts (emoji: CBDT/sbix) have fixed strikes, not outlines; their
    /// glyphs are drawn from the nearest strike scaled by `bitmapScale`.
    let isColorBitmap: Bool
    private(set) var bitmapScale = 1.0

    init(library: OpaquePointer, path: String, index: Int, opening: String) throws {
        var face: UnsafeMutablePointer<FT_FaceRec_>? = nil
        let error = FT_New_Face(library, opening, FT_Long(index), &face)
        guard error == 0, let face else { throw TextError.invalidFile("\(path): not a font file FreeType can load (FreeType error \(error))") }
        self.face = face
        self.path = path
        self.index = index
        familyName = face.pointee.family_name.map { String(cString: $0) } ?? (path as NSString).lastPathComponent
        hbFont = hb_ft_font_create_referenced(face)
        let flags = face.pointee.face_flags
        isColorBitmap = (flags & FT_Long(FT_FACE_FLAG_SCALABLE)) == 0 && (flags & FT_Long(FT_FACE_FLAG_COLOR)) != 0
            && face.pointee.num_fixed_sizes > 0
    }

    deinit {
        hb_font_destroy(hbFont)
        FT_Done_Face(face)
    }

    func setPixelSize(_ px: Int) {
        guard px != currentSize else { return }
        if isColorBitmap {
            // Pick the smallest strike at least as large as wanted (or the largest there is).
            let sizes = (0..<Int(face.pointee.num_fixed_sizes)).map { Int(face.pointee.available_sizes[$0].y_ppem / 64) }
            let pick = sizes.indices.filter { sizes[$0] >= px }.min { sizes[$0] < sizes[$1] } ?? sizes.indices.max { sizes[$0] < sizes[$1] }!
            FT_Select_Size(face, FT_Int(pick))
            bitmapScale = Double(px) / Double(max(sizes[pick], 1))
            hb_ft_font_changed(hbFont)
            currentSize = px
            return
        }
        FT_Set_Pixel_Sizes(face, 0, FT_UInt(px))
        hb_ft_font_changed(hbFont)
        currentSize = px
    }

    func hasGlyph(_ scalar: Unicode.Scalar) -> Bool { FT_Get_Char_Index(face, FT_ULong(scalar.value)) != 0 }

    /// Ascender and descender (positive, pixels) at the current size.
    var ascender: Double { Double(face.pointee.size.pointee.metrics.ascender) / 64 }
    var descender: Double { -Double(face.pointee.size.pointee.metrics.descender) / 64 }
}

public enum TextError: Error, CustomStringConvertible, Sendable {
    /// No font for a name (nothing installed matches): the machine lacks it.
    case font(String)
    /// A named font file that is missing, special or not a font: the input is bad.
    case invalidFile(String)
    public var description: String {
        switch self { case .font(let m), .invalidFile(let m): return m }
    }
}

/// Finds fonts with fontconfig: a face by family name or file, and for any character the
/// preferred face lacks, a fallback face that has it (never a missing-glyph box). Faces are
/// loaded once and cached by file and index.
final class FontLibrary {
    let library: OpaquePointer
    private let config: OpaquePointer?
    private var faces: [String: FontFace] = [:]
    /// Faces by the name asked for: a fontconfig match costs milliseconds, and every width
    /// measurement asks (a 4 000-character cue took 23 s and 1 GB uncached).
    private var named: [String: FontFace] = [:]
    private var fallbackCache: [UInt32: FontFace?] = [:]

    init() throws {
        var lib: OpaquePointer? = nil
        guard FT_Init_FreeType(&lib) == 0, let lib else { throw TextError.font("cannot initialise FreeType") }
        library = lib
        config = FcInitLoadConfigAndFonts()
    }

    deinit {
        named.removeAll()
        faces.removeAll()
        fallbackCache.removeAll()
        FT_Done_FreeType(library)
        if let config { FcConfigDestroy(config) }
    }

    /// A face from a font file path, or the best match for a family name (fontconfig).
    func face(named nameOrPath: String) throws -> FontFace {
        if let face = named[nameOrPath] { return face }
        let face: FontFace
        if FontFile.isPath(nameOrPath) {
            let file = try FontFile.open(nameOrPath).get()
            face = try load(path: nameOrPath, index: 0, opening: file.reopenablePath(or: nameOrPath))
        } else {
            guard let pattern = FcNameParse(nameOrPath) else { throw TextError.font("bad font name \(nameOrPath)") }
            defer { FcPatternDestroy(pattern) }
            guard let (path, index) = match(pattern) else { throw TextError.font("no font found for \(nameOrPath)") }
            face = try load(path: path, index: index)
        }
        named[nameOrPath] = face
        return face
    }

    /// A face that has `scalar`, preferring `family`; nil when no installed font has it.
    func fallback(for scalar: Unicode.Scalar, family: String) -> FontFace? {
        if let cached = fallbackCache[scalar.value] { return cached }
        var result: FontFace? = nil
        if let pattern = FcPatternCreate(), let charset = FcCharSetCreate() {
            FcCharSetAddChar(charset, FcChar32(scalar.value))
            FcPatternAddString(pattern, FC_FAMILY, family)
            FcPatternAddCharSet(pattern, FC_CHARSET, charset)
            if let (path, index) = match(pattern), let face = try? load(path: path, index: index), face.hasGlyph(scalar) {
                result = face
            }
            FcCharSetDestroy(charset)
            FcPatternDestroy(pattern)
        }
        fallbackCache[scalar.value] = result
        return result
    }

    private func match(_ pattern: OpaquePointer) -> (String, Int)? {
        FcConfigSubstitute(config, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let matched = FcFontMatch(config, pattern, &result) else { return nil }
        defer { FcPatternDestroy(matched) }
        var file: UnsafeMutablePointer<FcChar8>? = nil
        guard FcPatternGetString(matched, FC_FILE, 0, &file) == FcResultMatch, let file else { return nil }
        var index: Int32 = 0
        _ = FcPatternGetInteger(matched, FC_INDEX, 0, &index)
        return (String(cString: file), Int(index))
    }

    /// `opening`: the name FreeType opens (a checked descriptor's /proc name for a user's file).
    private func load(path: String, index: Int, opening: String? = nil) throws -> FontFace {
        let key = "\(path)#\(index)"
        if let face = faces[key] { return face }
        let face = try FontFace(library: library, path: path, index: index, opening: opening ?? path)
        faces[key] = face
        return face
    }
}
