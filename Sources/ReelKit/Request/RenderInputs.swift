import Foundation
import ReelMedia
import ReelText

extension RenderOptions {
    /// Every file this render reads: the recording, the plan, the presenter, voice, music,
    /// subtitles, font files and sticker images. None may be the destination of an output,
    /// and each must be a regular file before anything opens it.
    public var inputFiles: [String] {
        var files = [input] + [planPath, subtitles, subtitlesEnglish, lexicon, presenter?.path, voice, music].compactMap { $0 }
        files += stickers.compactMap { $0.image }
        let fonts = [captions.chinese.font, captions.english.font] + stickers.filter { $0.text != nil }.map(\.font)
        files += fonts.filter(FontFile.isPath)
        var seen = Set<String>()
        return files.filter { seen.insert($0).inserted }
    }

    /// Every file this render writes: the video (or preview PNG) and the frame hashes.
    public var outputFiles: [String] { [output] + [frameHashes].compactMap { $0 } + snapshots.values.sorted() }

    /// Refuses, before any file is opened: an input that is not a regular file (a FIFO would
    /// block forever, a device never ends), and an output aimed at an input or at another output.
    public func checkFiles() throws {
        for file in inputFiles { try InputFile.check(file) }
        let outputs = outputFiles
        for (i, out) in outputs.enumerated() {
            try OutputFile.refuseInputs(out, inputs: inputFiles)
            for other in outputs[..<i] where OutputFile.sameFile(other, out) {
                throw MediaError(.usage, path: out, "is already the destination of another output of this run")
            }
        }
    }
}

extension MediaError {
    /// A text-engine error as reel reports it: a bad font file is invalid input (65), no
    /// installed font for a name is unavailable (69).
    init(_ error: TextError, path: String) {
        switch error {
        case .invalidFile(let message): self.init(.invalidInput, path: "", message)
        case .font(let message): self.init(.unavailable, path: path, message)
        }
    }
}
