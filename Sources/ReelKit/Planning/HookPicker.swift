import Foundation
import ReelMedia
import ReelText

/// `--hook auto`: picks the strongest window of the talk to play first. Deterministic.
///
/// Candidates start where a subtitle cue starts (a hook should begin on a phrase), or every
/// 0.25 s without subtitles. Each window of the hook's length scores:
/// - words (per cue, weighted by how much of it falls inside): numbers +2, "!" +1.5, "?" +1,
///   emphasis markup +2, each `--hook-keywords` word +3, any speech +1; a window that ends
///   mid-cue loses the cut-off share;
/// - voice: its mean level against the whole talk (+1 per 3 dB louder, at most +2) and its
///   rise over the second before (+0.5 per 3 dB, at most +1);
/// - picture: how much the recording changes inside it, from the coded size of its video
///   packets (big packets = new content), 0…1.5;
/// - windows in the first seconds repeat what the body shows first anyway: halved.
struct HookPicker {
    struct Pick { let start: Double; let score: Double; let explanation: String }

    static func pick(options o: RenderOptions, duration d: Double, sourceDuration: Double, cues: [Cue],
                     presenter: PresenterSource?) throws -> Pick {
        guard sourceDuration > d else {
            throw MediaError(.usage, path: o.input, String(format: "--hook auto: the recording (%.1f s) is not longer than the hook (%.1f s)", sourceDuration, d))
        }
        let step = 0.25
        let voice = try voiceLevels(o, presenter: presenter, duration: sourceDuration, step: step)
        let picture = try pictureChange(o.input, duration: sourceDuration, step: step)
        let candidates = cues.isEmpty
            ? stride(from: 0.0, through: sourceDuration - d, by: step).map { $0 }
            : cues.map(\.start).filter { $0 >= 0 && $0 + d <= sourceDuration + 0.01 }
        guard !candidates.isEmpty else {
            throw MediaError(.usage, path: o.input, "--hook auto: no subtitle cue starts early enough for a hook of \(d) s")
        }
        let meanVoice = voice.isEmpty ? -90 : voice.reduce(0, +) / Double(voice.count)
        let maxPicture = max(1, picture.max() ?? 1)
        var best: Pick? = nil
        for start in candidates {
            let end = start + d
            var words = 0.0
            var reasons: [String] = []
            for cue in cues where cue.end > start && cue.start < end {
                let inside = (min(cue.end, end) - max(cue.start, start)) / max(0.01, cue.end - cue.start)
                let (score, why) = wordScore(cue, keywords: o.hookKeywords)
                words += score * inside
                if inside > 0.3 { reasons += why.map { "\($0) in \"\(EmphasisMarkup.parse(cue.chinese).plain)\"" } }
            }
            let level = mean(voice, from: start, to: end, step: step)
            let before = mean(voice, from: max(0, start - 1), to: start, step: step)
            // Capped: the voice lifts a window, it does not outvote the words (the rise out of
            // the silence before the first sentence would otherwise win every time).
            let loud = min(2, max(0, (level - meanVoice) / 3)), rise = min(1, max(0, (level - before) / 3) * 0.5)
            let change = 1.5 * mean(picture, from: start, to: end, step: step) / maxPicture
            var score = words + loud + rise + change
            if start < 2 * d { score *= 0.5 }
            if best == nil || score > best!.score + 1e-9 {
                var parts = ["words \(fmt(words))"] + (reasons.isEmpty ? [] : ["(" + reasons.joined(separator: "; ") + ")"])
                parts.append("voice \(fmt(level - meanVoice)) dB vs mean (\(fmt(loud + rise)))")
                parts.append("picture change \(fmt(change))")
                best = Pick(start: start, score: score,
                            explanation: String(format: "hook %.2f–%.2f s, score %.2f: ", start, end, score) + parts.joined(separator: ", "))
            }
        }
        return best!
    }

    static func wordScore(_ cue: Cue, keywords: [String]) -> (Double, [String]) {
        let text = cue.chinese + " " + cue.english
        var score = 1.0
        var why: [String] = []
        // Digits, or Chinese numerals written as such (Swift's isNumber would also count 什 or 两).
        if text.contains(where: { $0.isASCII && $0.isNumber || "０１２３４５６７８９零一二三四五六七八九十百千万亿".contains($0) }) {
            score += 2; why.append("a number")
        }
        if text.contains("!") || text.contains("！") { score += 1.5; why.append("\"!\"") }
        if text.contains("?") || text.contains("？") { score += 1; why.append("\"?\"") }
        if text.contains("{") || text.contains("**") { score += 2; why.append("emphasis") }
        for k in keywords where !k.isEmpty && text.localizedCaseInsensitiveContains(k) { score += 3; why.append("keyword '\(k)'") }
        return (score, why)
    }

    /// Voice level (dBFS RMS) per step on the source timeline: the narration, else the
    /// presenter's sound, else the recording's.
    static func voiceLevels(_ o: RenderOptions, presenter: PresenterSource?, duration: Double, step: Double) throws -> [Double] {
        let sr = AudioFormat.sampleRate
        var source: (path: String, offset: Double, origin: Double?)? = nil
        if let v = o.voice { source = (v, o.voiceStart, nil) }
        else if let p = presenter, p.options.useAudio { source = (p.options.path, p.options.start, p.reader.origin) }
        else { source = (o.input, 0, nil) }
        guard let s = source, let reader = try AudioSourceReader(path: s.path, origin: s.origin) else { return [] }
        let block = Int(step * Double(sr))
        let offset = Int(s.offset * Double(sr))
        return try (0..<Int(duration / step)).map { i in
            let rms = AudioMixer.rms(try reader.read(i * block - offset, count: block))
            return rms > 0 ? 20 * log10(rms) : -90
        }
    }

    /// Bytes of coded video per step: how much the picture changes (a still screen codes
    /// to almost nothing). Reads packets only, no decoding.
    static func pictureChange(_ path: String, duration: Double, step: Double) throws -> [Double] {
        let demuxer = try Demuxer(path: path)
        guard let v = demuxer.bestStream(.video) else { return [] }
        demuxer.keepOnly([v])
        let tb = demuxer.timeBase(of: v), origin = demuxer.startTime(of: v)
        var bins = [Double](repeating: 0, count: max(1, Int(duration / step) + 1))
        while let p = try demuxer.readPacket() {
            guard let pts = p.pts, !p.isKeyframe else { continue }   // keyframes are big whatever the content
            let t = Double(pts) * tb.value - origin
            let i = Int(t / step)
            if i >= 0 && i < bins.count { bins[i] += Double(p.size) }
        }
        return bins
    }

    static func mean(_ values: [Double], from: Double, to: Double, step: Double) -> Double {
        let lo = max(0, Int(from / step)), hi = min(values.count, Int(to / step))
        guard hi > lo else { return values.isEmpty ? 0 : values[min(lo, values.count - 1)] }
        return values[lo..<hi].reduce(0, +) / Double(hi - lo)
    }

    static func fmt(_ v: Double) -> String { String(format: "%+.1f", v) }
}
