import Foundation
import ReelMedia
import ReelText

extension RenderOptions {
    /// Where caption lines may not break: jieba's dictionary, reel's `TechLexicon` and the
    /// words of `lexicon` (`--lexicon FILE`, plan `subtitles.lexicon`: one word a line).
    public func wordSegmenter() throws -> WordSegmenter {
        guard let path = lexicon else { return .standard() }
        return .standard(userWords: try Self.readLexicon(path))
    }

    /// A lexicon file's words. Missing: 66; not UTF-8 text or absurdly large: 65.
    static func readLexicon(_ path: String) throws -> [String] {
        let file: InputFile.Opened
        do { file = try InputFile.open(path) } catch let e as MediaError where e.kind == .notFound && e.cause == "no such file" {
            throw MediaError(.notFound, path: path, "no such file (--lexicon)")
        }
        // A lexicon is names, one a line: 4 MiB is far more than any real one.
        var bytes = try file.readAll(limit: 4 << 20) { _ in "lexicon larger than 4 MiB" }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8), !text.contains("\u{0}") else {
            throw MediaError(.invalidInput, path: path, "the lexicon is not UTF-8 text (one word a line)")
        }
        return Lexicon.parse(text)
    }
}
