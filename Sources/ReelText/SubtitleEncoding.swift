import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns the bytes of a subtitle file into text.
///
/// Detection (`encoding == nil`): a byte-order mark wins (UTF-8, UTF-16 LE/BE); without one,
/// text whose bytes are mostly NUL at every other position is UTF-16 (LE or BE by where the
/// NULs are); otherwise valid UTF-8 is UTF-8, and anything else is decoded as GB18030 (a
/// superset of GBK and GB2312). Bytes that fit neither are an error naming the line of the
/// first bad byte (of whichever decoder got further, the likelier intended encoding).
enum SubtitleDecoding {
    /// `utf16` = byte order from the BOM, else from NUL positions, else little-endian.
    enum Kind { case utf8, utf16, utf16LE, utf16BE, gb18030 }

    /// Decodes `data`, throwing a `SubtitleError` for an unknown encoding name or bytes that
    /// are not valid in the chosen/detected encoding. A leading U+FEFF is dropped.
    static func decode(_ data: Data, path: String, encoding: String?) throws -> String {
        let bytes = [UInt8](data)
        let text: String
        if let name = encoding {
            guard let kind = kind(named: name) else {
                throw SubtitleError(path: path, line: nil,
                                    message: "unknown subtitle encoding '\(name)' (use utf-8, gb18030, gbk or utf-16)")
            }
            text = try decode(bytes, as: kind, path: path)
        } else {
            text = try detectAndDecode(bytes, path: path)
        }
        if text.unicodeScalars.first == "\u{FEFF}" { return String(text.unicodeScalars.dropFirst()) }
        return text
    }

    /// "utf-8", "utf8", "gb18030", "gbk", "gb2312", "cp936", "utf-16", "utf-16le", "utf-16be"
    /// (case, "-", "_" and spaces ignored); nil for anything else.
    static func kind(named name: String) -> Kind? {
        let key = String(name.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" && $0 != " " })
        switch key {
        case "utf8": return .utf8
        case "gb18030", "gbk", "gb2312", "cp936", "euccn", "936": return .gb18030
        case "utf16": return .utf16
        case "utf16le": return .utf16LE
        case "utf16be": return .utf16BE
        default: return nil
        }
    }

    private static func decode(_ bytes: [UInt8], as kind: Kind, path: String) throws -> String {
        switch kind {
        case .utf8:
            let body = hasUTF8BOM(bytes) ? bytes[3...] : bytes[...]
            switch utf8(body) {
            case .success(let s): return s
            case .failure(let f): throw invalid(path, bytes, at: f.offset, "bytes are not valid UTF-8")
            }
        case .gb18030:
            switch gb18030(bytes[...]) {
            case .success(let s): return s
            case .failure(let f): throw invalid(path, bytes, at: f.offset, "bytes are not valid GB18030/GBK")
            }
        case .utf16LE, .utf16BE:
            return try utf16(bytes, bigEndian: kind == .utf16BE, path: path)
        case .utf16:
            if let bom = utf16BOM(bytes) { return try utf16(bytes, bigEndian: bom, path: path) }
            return try utf16(bytes, bigEndian: sniffUTF16(bytes) ?? false, path: path)
        }
    }

    private static func detectAndDecode(_ bytes: [UInt8], path: String) throws -> String {
        if hasUTF8BOM(bytes) { return try decode(bytes, as: .utf8, path: path) }
        if let bigEndian = utf16BOM(bytes) { return try utf16(bytes, bigEndian: bigEndian, path: path) }
        if let bigEndian = sniffUTF16(bytes) { return try utf16(bytes, bigEndian: bigEndian, path: path) }
        let utf8Failure: Int
        switch utf8(bytes[...]) {
        case .success(let s): return s
        case .failure(let f): utf8Failure = f.offset
        }
        // Mostly valid UTF-8 with a few bad bytes is a damaged UTF-8 file: decoding it as
        // GB18030 would "succeed" and show mojibake, so it is an error instead.
        let stats = utf8Statistics(bytes)
        if stats.multibyte >= 4 && stats.damaged * 4 <= stats.multibyte {
            throw invalid(path, bytes, at: utf8Failure,
                          "bytes are not valid UTF-8 (the file looks like UTF-8 with damaged bytes; pass the encoding explicitly to force another one)")
        }
        switch gb18030(bytes[...]) {
        case .success(let s): return s
        case .failure(let f):
            throw invalid(path, bytes, at: max(f.offset, utf8Failure),
                          "bytes are neither valid UTF-8 nor GB18030/GBK (pass the encoding explicitly)")
        }
    }

    // MARK: - Decoders

    struct Failure: Error { let offset: Int }

    static func hasUTF8BOM(_ b: [UInt8]) -> Bool { b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF }

    /// true = big-endian BOM, false = little-endian BOM, nil = none.
    static func utf16BOM(_ b: [UInt8]) -> Bool? {
        guard b.count >= 2 else { return nil }
        if b[0] == 0xFF && b[1] == 0xFE { return false }
        if b[0] == 0xFE && b[1] == 0xFF { return true }
        return nil
    }

    /// BOM-less UTF-16 guess from NUL bytes in the first 4 KiB: true = BE, false = LE, nil = not UTF-16.
    static func sniffUTF16(_ b: [UInt8]) -> Bool? {
        let n = min(b.count, 4096) & ~1
        guard n >= 4 else { return nil }
        var evenZeros = 0, oddZeros = 0
        var i = 0
        while i < n {
            if b[i] == 0 { evenZeros += 1 }
            if b[i + 1] == 0 { oddZeros += 1 }
            i += 2
        }
        let pairs = n / 2
        if oddZeros * 10 >= pairs * 4 && evenZeros * 20 < pairs { return false }
        if evenZeros * 10 >= pairs * 4 && oddZeros * 20 < pairs { return true }
        return nil
    }

    /// Strict UTF-8 (no overlongs, surrogates or values above U+10FFFF); failure = offset of
    /// the first bad byte, relative to the start of the whole buffer.
    static func utf8(_ b: ArraySlice<UInt8>) -> Result<String, Failure> {
        var i = b.startIndex
        let end = b.endIndex
        while i < end {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return .failure(Failure(offset: i))
            }
            guard end - i > need else { return .failure(Failure(offset: i)) }
            guard b[i + 1] >= lo && b[i + 1] <= hi else { return .failure(Failure(offset: i)) }
            var k = 2
            while k <= need {
                guard b[i + k] & 0xC0 == 0x80 else { return .failure(Failure(offset: i)) }
                k += 1
            }
            i += need + 1
        }
        return .success(String(decoding: b, as: UTF8.self))
    }

    /// Counts valid multi-byte UTF-8 sequences and damaged spots (runs of invalid bytes).
    /// GBK text gives about as many damaged spots as (accidentally valid) sequences; UTF-8
    /// text with a few bad bytes gives many sequences and few spots.
    static func utf8Statistics(_ b: [UInt8]) -> (multibyte: Int, damaged: Int) {
        var multibyte = 0, damaged = 0
        var inDamage = false
        var i = 0
        while i < b.count {
            if b[i] < 0x80 { inDamage = false; i += 1; continue }
            switch utf8(b[i..<min(b.count, i + 4)]) {
            case .success:
                // The whole (≤ 4 byte) window is valid: count its sequences one by one below.
                break
            case .failure(let f) where f.offset == i:
                if !inDamage { damaged += 1 }
                inDamage = true
                i += 1
                continue
            case .failure:
                break
            }
            // b[i] starts a valid sequence; its length comes from the lead byte.
            let length = b[i] >= 0xF0 ? 4 : b[i] >= 0xE0 ? 3 : 2
            multibyte += 1
            inDamage = false
            i += length
        }
        return (multibyte, damaged)
    }

    /// GB18030 (covers GBK and GB2312) through glibc iconv; failure = offset of the bad byte.
    static func gb18030(_ b: ArraySlice<UInt8>) -> Result<String, Failure> {
        if b.isEmpty { return .success("") }
        #if canImport(Glibc)
        guard let cd = iconv_open("UTF-8", "GB18030"), cd != iconv_t(bitPattern: -1) else {
            return .failure(Failure(offset: b.startIndex))
        }
        defer { iconv_close(cd) }
        var input = Array(b)
        // GB18030 → UTF-8 grows at most 1.5×.
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var failedAt: Int? = nil
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                guard let inBase = inBuf.baseAddress, let outBase = outBuf.baseAddress else {
                    failedAt = 0
                    return
                }
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outLeft = outBuf.count
                let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if r == -1 || inLeft > 0 {
                    failedAt = inBuf.count - inLeft
                    return
                }
                // Flush any shift state (none for GB18030, but harmless).
                _ = iconv(cd, nil, nil, &outPtr, &outLeft)
                produced = outBuf.count - outLeft
            }
        }
        if let failedAt { return .failure(Failure(offset: b.startIndex + failedAt)) }
        return .success(String(decoding: output[0..<produced], as: UTF8.self))
        #else
        let ns = CFStringConvertEncodingToNSStringEncoding(CFStringEncoding(CFStringEncodings.GB_18030_2000.rawValue))
        guard let s = String(data: Data(b), encoding: String.Encoding(rawValue: ns)) else {
            return .failure(Failure(offset: b.startIndex))
        }
        return .success(s)
        #endif
    }

    /// UTF-16 with the given byte order (a matching BOM is skipped); an odd byte count or an
    /// unpaired surrogate is an error.
    static func utf16(_ b: [UInt8], bigEndian: Bool, path: String) throws -> String {
        var start = 0
        if let bom = utf16BOM(b), bom == bigEndian { start = 2 }
        var units: [UInt16] = []
        units.reserveCapacity((b.count - start) / 2)
        var i = start
        while i + 1 < b.count {
            let u = bigEndian ? UInt16(b[i]) << 8 | UInt16(b[i + 1]) : UInt16(b[i + 1]) << 8 | UInt16(b[i])
            units.append(u)
            i += 2
        }
        var scalars = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        var lines = 1
        var previousCR = false
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s == "\n" { if !previousCR { lines += 1 } } else if s == "\r" { lines += 1 }
                previousCR = s == "\r"
                scalars.append(s)
            case .emptyInput:
                break loop
            case .error:
                throw SubtitleError(path: path, line: lines, message: "bytes are not valid UTF-16 (unpaired surrogate)")
            }
        }
        if (b.count - start) % 2 != 0 {
            throw SubtitleError(path: path, line: lines, message: "bytes are not valid UTF-16 (odd number of bytes)")
        }
        return String(scalars)
    }

    // MARK: - Errors

    /// 1-based line of byte `offset` (LF, CRLF and lone CR each end a line; these bytes never
    /// occur inside a UTF-8 or GB18030 multi-byte sequence).
    static func lineNumber(in b: [UInt8], at offset: Int) -> Int {
        var line = 1
        var i = 0
        let stop = min(max(offset, 0), b.count)
        while i < stop {
            if b[i] == 0x0A { line += 1 } else if b[i] == 0x0D && !(i + 1 < b.count && b[i + 1] == 0x0A) { line += 1 }
            i += 1
        }
        return line
    }

    private static func invalid(_ path: String, _ bytes: [UInt8], at offset: Int, _ message: String) -> SubtitleError {
        SubtitleError(path: path, line: lineNumber(in: bytes, at: offset), message: message)
    }
}
