import Foundation
import ReelMedia
import ReelText

/// decode → normalize/compose → encode → mux, as three threads joined by bounded queues
/// (the shape of FFmpeg's fftools). Memory is bounded by the queue sizes, not the input's
/// length. The first error in any stage cancels every queue and is rethrown by `run`.
public final class RenderPipeline: @unchecked Sendable {
    public let options: RenderOptions
    private let onProgress: @Sendable (RenderProgress) -> Void
    private let onWarning: @Sendable (String) -> Void
    private let failure = FailureBox()

    public init(options: RenderOptions, onProgress: @escaping @Sendable (RenderProgress) -> Void = { _ in },
                onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.onProgress = onProgress
        self.onWarning = onWarning
    }

    // MARK: - Items handed between stages

    /// A decoded source frame and where it sits on the output timeline.
    final class SourceFrame: @unchecked Sendable {
        let frame: Frame
        let seconds: Double
        init(frame: Frame, seconds: Double) { self.frame = frame; self.seconds = seconds }
    }

    public func run() throws -> RenderSummary {
        let started = Date()
        let o = options
        try validate(o)
        let info = try Probe.inspect(path: o.input, scanPackets: 0)
        guard let videoInfo = info.video else {
            throw MediaError(.invalidInput, path: o.input, "no video stream")
        }
        let source = SourcePicture(stream: videoInfo)
        guard source.storedWidth > 0, source.storedHeight > 0 else {
            throw MediaError(.invalidInput, path: o.input, "video stream has no picture size")
        }
        guard source.storedWidth <= 16384, source.storedHeight <= 16384 else {
            throw MediaError(.invalidInput, path: o.input, "picture size \(source.storedWidth)x\(source.storedHeight) is larger than reel supports (16384)")
        }
        if let s = o.trimStart, let e = o.trimEnd, e <= s {
            throw MediaError(.usage, path: o.input, "--trim end (\(e)) must be after its start (\(s))")
        }
        let display = source.displaySize
        let full = PixelRect(x: 0, y: 0, width: display.width & ~1, height: display.height & ~1)
        var crop = full
        var cropReason: String? = nil
        switch o.crop {
        case .none: break
        case .rect(let r):
            guard r.width >= 2, r.height >= 2, r.x >= 0, r.y >= 0,
                  r.x + r.width <= display.width, r.y + r.height <= display.height else {
                throw MediaError(.usage, path: o.input, "--crop \(r) is outside the \(display.width)x\(display.height) picture")
            }
            crop = r
        case .auto:
            let bandAspect = Double(o.width) / Double(o.safeArea.band(canvasWidth: o.width, canvasHeight: o.height).height)
            let found = try CropFinder.find(path: o.input, source: source, videoStream: videoInfo.index,
                                            duration: info.duration, targetAspect: bandAspect,
                                            trimStart: o.trimStart, trimEnd: o.trimEnd)
            crop = found ?? full
            cropReason = found == nil ? "auto: no distinct content region found; using the whole picture" : "auto: \(ContentRegionDetector.explanation)"
        }
        let layout = PanelLayout(canvasWidth: o.width, canvasHeight: o.height, content: (crop.width, crop.height), safeArea: o.safeArea)
        let composer = CanvasComposer(canvasWidth: o.width, canvasHeight: o.height, crop: crop,
                                      panel: layout.panel, background: o.background, source: source,
                                      bitexact: o.deterministic)

        let subtitles = try loadSubtitles()
        let title: TitleLayer?
        do {
            title = try o.title.map { try TitleLayer(text: $0, english: o.titleEnglish, style: o.captions, canvasWidth: o.width,
                                                     canvasHeight: o.height, safeArea: o.safeArea) }
        } catch let e as TextError { throw MediaError(.unavailable, path: o.captions.chinese.font, e.description) }
        let inputs = [o.input] + [o.subtitles, o.subtitlesEnglish].compactMap { $0 }
        let output = try OutputFile(destination: o.output, inputs: inputs, force: o.force)
        do {
            let (frames, reused) = try render(info: info, composer: composer, subtitles: subtitles, title: title, output: output, started: started)
            try output.commit()
            return RenderSummary(output: output.destination, frames: frames, duration: Double(frames) / Double(o.fps),
                                 wallSeconds: Date().timeIntervalSince(started), crop: crop, cropReason: cropReason,
                                 reusedFrames: reused)
        } catch {
            output.discard()
            throw error
        }
    }

    private func validate(_ o: RenderOptions) throws {
        guard RenderOptions.allowedFrameRates.contains(o.fps) else {
            throw MediaError(.usage, path: "", "--fps \(o.fps) is not supported (use 25, 30, 50 or 60)")
        }
        guard o.width >= 64, o.height >= 64, o.width <= 4096, o.height <= 4096, o.width % 2 == 0, o.height % 2 == 0 else {
            throw MediaError(.usage, path: "", "--size \(o.width)x\(o.height) must be even and between 64 and 4096")
        }
        guard (0...51).contains(o.crf) else { throw MediaError(.usage, path: "", "--crf \(o.crf) must be 0…51") }
        guard Encoder.exists(o.encoder) else {
            throw MediaError(.unavailable, path: o.encoder, "no such encoder in this libavcodec (libx264 is the default)")
        }
    }

    // MARK: - The three stages

    /// Reads and checks the subtitle files up front: a broken file fails before any work.
    private func loadSubtitles() throws -> SubtitleTrack? {
        let o = options
        guard let path = o.subtitles ?? o.subtitlesEnglish else { return nil }
        func read(_ p: String) throws -> [Cue] {
            guard FileManager.default.fileExists(atPath: p) else { throw MediaError(.notFound, path: p, "no such file") }
            do { return try SubtitleReader.read(path: p, encoding: o.subtitlesEncoding) } catch let e as SubtitleError {
                throw MediaError(.invalidInput, path: p, e.line.map { "line \($0): \(e.message)" } ?? e.message)
            }
        }
        var cues = try read(path)
        if let en = o.subtitlesEnglish, o.subtitles != nil { cues = SubtitleReader.merge(chinese: cues, english: try read(en)) }
        let track: SubtitleTrack
        do {
            track = try SubtitleTrack(cues: cues, style: o.captions, canvasWidth: o.width, canvasHeight: o.height,
                                      safeArea: o.safeArea, fps: o.fps)
            let missing = try track.missingCharacters()
            if !missing.isEmpty {
                onWarning("\(path): no installed font has these characters: \(String(missing)) (they will be left out)")
            }
        } catch let e as TextError {
            throw MediaError(.unavailable, path: path, e.description)
        }
        return track
    }

    private func render(info: MediaInfo, composer: CanvasComposer, subtitles: SubtitleTrack?, title: TitleLayer?,
                        output: OutputFile, started: Date) throws -> (Int, Int) {
        let o = options
        let demuxer = try Demuxer(path: o.input)
        guard let videoIndex = demuxer.bestStream(.video) else {
            throw MediaError(.invalidInput, path: o.input, "no video stream")
        }
        let audioIndex = demuxer.bestStream(.audio)
        let videoDecoder = try Decoder(demuxer, stream: videoIndex, threads: o.threads)
        let audioDecoder = try audioIndex.map { try Decoder(demuxer, stream: $0, threads: 1) }

        let origin = demuxer.startTime(of: videoIndex) + (o.trimStart ?? 0)
        let endTime: Double? = o.trimEnd.map { $0 - (o.trimStart ?? 0) }
        let expectedDuration = endTime ?? max(0.04, (info.video?.duration ?? info.duration ?? 1) - (o.trimStart ?? 0))
        let expectedFrames = max(1, Int((expectedDuration * Double(o.fps)).rounded()))

        let sourceQueue = BoundedQueue<SourceFrame>(capacity: 6)
        let canvasQueue = BoundedQueue<Frame>(capacity: 6)
        let audioQueue = BoundedQueue<AudioTimeline.Chunk>(capacity: Int.max)
        let queues: [() -> Void] = [sourceQueue.cancel, canvasQueue.cancel, audioQueue.cancel]
        let fail: @Sendable (Error) -> Void = { [failure] error in
            failure.record(error)
            queues.forEach { $0() }
        }
        let results = StageResults()

        let decodeThread = StageThread(name: "reel-decode") { [self] in
            do {
                results.sourceEnd = try decodeStage(demuxer: demuxer, videoDecoder: videoDecoder, audioDecoder: audioDecoder,
                                            origin: origin, endTime: endTime, declaredVideoDuration: info.video?.duration,
                                            sourceQueue: sourceQueue, audioQueue: audioQueue)
                sourceQueue.close()
                audioQueue.close()
            } catch { fail(error) }
        }
        let composeThread = StageThread(name: "reel-compose") { [self] in
            do {
                results.reused = try composeStage(composer: composer, subtitles: subtitles, title: title, endTime: endTime, sourceQueue: sourceQueue,
                                          canvasQueue: canvasQueue, sourceEnd: { decodeThread.join(); return results.sourceEnd })
                canvasQueue.close()
            } catch { fail(error) }
        }
        var frames = 0
        do {
            frames = try encodeStage(canvasQueue: canvasQueue, audioQueue: audioQueue, output: output,
                                     expectedFrames: expectedFrames, started: started)
        } catch { fail(error) }
        decodeThread.join()
        composeThread.join()
        if let error = failure.error { throw error }
        if frames == 0 { throw MediaError(.invalidInput, path: o.input, "no decodable video frames") }
        return (frames, results.reused)
    }

    /// Reads packets, decodes video and audio, and hands them on with output-timeline times.
    /// Returns where the source's last video frame ends (output seconds).
    private func decodeStage(demuxer: Demuxer, videoDecoder: Decoder, audioDecoder: Decoder?, origin: Double, endTime: Double?,
                             declaredVideoDuration: Double?,
                             sourceQueue: BoundedQueue<SourceFrame>, audioQueue: BoundedQueue<AudioTimeline.Chunk>) throws -> Double {
        var keep: Set<Int> = [videoDecoder.streamIndex]
        if let a = audioDecoder { keep.insert(a.streamIndex) }
        demuxer.keepOnly(keep)
        if let start = options.trimStart, start > 0 { try demuxer.seek(to: origin) }
        let resampler = Resampler(outputRate: AudioFormat.sampleRate)
        var timeline = AudioTimeline(sampleRate: AudioFormat.sampleRate)
        let videoTB = videoDecoder.timeBase
        let nominalFrame = 1.0 / max(1.0, (demuxer.averageFrameRate(of: videoDecoder.streamIndex) ?? 30))
        var lastVideoEnd = 0.0
        var videoDone = false, audioDone = audioDecoder == nil
        var decodedAny = false
        var badPackets = 0

        func handleVideo(_ frames: [Frame]) -> Bool {
            for frame in frames {
                guard let t = frame.seconds(in: videoTB) else { continue }
                let rel = t - origin
                let dur = frame.durationUnits.map { Double($0) * videoTB.value } ?? nominalFrame
                if let end = endTime, rel >= end { videoDone = true; continue }
                decodedAny = true
                lastVideoEnd = max(lastVideoEnd, rel + dur)
                if !sourceQueue.push(SourceFrame(frame: frame, seconds: rel)) { return false }
            }
            return true
        }
        func handleAudio(_ frames: [Frame], decoder: Decoder) throws -> Bool {
            for frame in frames {
                let rel = frame.seconds(in: decoder.timeBase).map { $0 - origin }
                if let end = endTime, let r = rel, r >= end + 0.5 { audioDone = true; continue }
                for chunk in timeline.place(try resampler.convert(frame), at: rel) {
                    if !audioQueue.push(chunk) { return false }
                }
            }
            return true
        }

        while !(videoDone && audioDone) {
            if failure.error != nil { return lastVideoEnd }
            guard let packet = try demuxer.readPacket() else { break }
            if packet.streamIndex == videoDecoder.streamIndex {
                if videoDone { continue }
                do {
                    if !handleVideo(try videoDecoder.decode(packet)) { return lastVideoEnd }
                } catch {
                    // One damaged packet is not a reason to fail a long render; libav conceals it.
                    badPackets += 1
                    if badPackets > 50 { throw error }
                }
            } else if let a = audioDecoder, packet.streamIndex == a.streamIndex {
                if audioDone { continue }
                if let frames = try? a.decode(packet), !(try handleAudio(frames, decoder: a)) { return lastVideoEnd }
            }
        }
        if !videoDone { _ = handleVideo(try videoDecoder.decode(nil)) }
        if let a = audioDecoder, !audioDone {
            _ = try handleAudio((try? a.decode(nil)) ?? [], decoder: a)
            for chunk in timeline.place(try resampler.flush(), at: nil) { audioQueue.push(chunk) }
        }
        if !decodedAny { throw MediaError(.invalidInput, path: options.input, "no decodable video frames") }
        // A file whose video stops well before the video stream's own stated duration was cut
        // off (the container's duration is not used: audio may rightly outlast the picture).
        if endTime == nil, let stated = declaredVideoDuration, stated - (options.trimStart ?? 0) - lastVideoEnd > max(1.0, stated * 0.1) {
            throw MediaError(.invalidInput, path: options.input,
                             String(format: "truncated: video ends at %.2f s of the %.2f s the file declares", lastVideoEnd, stated))
        }
        return lastVideoEnd
    }

    /// Converts to constant frame rate and composes each distinct source picture once.
    private func composeStage(composer: CanvasComposer, subtitles: SubtitleTrack?, title: TitleLayer?, endTime: Double?, sourceQueue: BoundedQueue<SourceFrame>,
                              canvasQueue: BoundedQueue<Frame>, sourceEnd: () -> Double) throws -> Int {
        var clock = FrameClock<SourceFrame>(fps: options.fps, endTime: endTime)
        var graph: FilterGraph? = nil
        var graphColor: FrameColor? = nil
        var graphSize = (0, 0)
        var lastSource: SourceFrame? = nil
        var lastCanvas: Frame? = nil
        var lastCaptioned: (canvas: Frame, cue: Int, opacity: Double, frame: Frame)? = nil
        var reused = 0

        func canvas(for source: SourceFrame) throws -> Frame {
            if let last = lastSource, let canvas = lastCanvas {
                if last === source { return canvas }
                if source.frame.hasSamePixels(as: last.frame) {
                    reused += 1
                    lastSource = source
                    return canvas
                }
            }
            let color = source.frame.color
            if graph == nil || graphColor != color || graphSize != (source.frame.width, source.frame.height) {
                graph = try FilterGraph(composer.graph(for: color), input: source.frame, timeBase: Rational(1, 1_000_000),
                                        threads: options.threads)
                graphColor = color
                graphSize = (source.frame.width, source.frame.height)
            }
            let input = source.frame.reference()
            input.pts = 0
            guard let composed = try graph!.process(input).first else {
                throw MediaError(.internalFailure, path: options.input, "the compositor produced no picture")
            }
            // The title never changes: it is part of the cached canvas, not blended per frame.
            if let title { composed.blend(title.overlay, x: title.x, y: title.y) }
            if options.perturbOnePixelForTesting { composed.perturbOnePixel() }
            lastSource = source
            lastCanvas = composed
            return composed
        }
        func emit(_ slots: [(slot: Int, item: SourceFrame)]) throws -> Bool {
            for (slot, source) in slots {
                let base = try canvas(for: source)
                var out = base.reference()
                if let subtitles, let caption = try subtitles.overlay(at: Double(slot) / Double(options.fps)) {
                    // Same canvas under the same caption at the same opacity (a still screen, a
                    // held frame): reuse the blended picture instead of copying and blending again.
                    if let last = lastCaptioned, last.canvas === base, last.cue == caption.cue, last.opacity == caption.opacity {
                        out = last.frame.reference()
                    } else {
                        out.blend(caption.overlay, x: caption.x, y: caption.y, opacity: caption.opacity)
                        lastCaptioned = (base, caption.cue, caption.opacity, out)
                    }
                }
                out.pts = Int64(slot)
                if !canvasQueue.push(out) { return false }
            }
            return true
        }

        while let source = sourceQueue.pop() {
            if clock.isComplete { continue }
            if !(try emit(clock.add(source, at: source.seconds))) { return reused }
        }
        if failure.error != nil { return reused }
        _ = try emit(clock.finish(sourceEnd: sourceEnd()))
        return reused
    }

    /// Encodes the composed frames and the audio (cut or padded to the video's exact
    /// length, sample-exact), and muxes them.
    private func encodeStage(canvasQueue: BoundedQueue<Frame>, audioQueue: BoundedQueue<AudioTimeline.Chunk>,
                             output: OutputFile, expectedFrames: Int, started: Date) throws -> Int {
        let o = options
        let muxer = try Muxer(path: output.temporary)
        var settings = VideoEncoderSettings()
        settings.encoder = o.encoder
        settings.width = o.width
        settings.height = o.height
        settings.fps = o.fps
        settings.crf = o.crf
        settings.preset = o.preset
        settings.deterministic = o.deterministic
        settings.threads = o.deterministic ? 1 : 0
        let video = try Encoder(video: settings, globalHeader: muxer.needsGlobalHeader)
        let audio = try Encoder(aacSampleRate: AudioFormat.sampleRate, bitrate: AudioFormat.bitrate, globalHeader: muxer.needsGlobalHeader)
        let videoStream = try muxer.addStream(for: video)
        let audioStream = try muxer.addStream(for: audio)
        try muxer.start(deterministic: o.deterministic)

        let samplesPerFrame = AudioFormat.sampleRate / o.fps
        var fifo = SampleFifo()
        // The AAC encoder's priming samples play first (there is no edit list to hide them),
        // so the first `initialPadding` samples of the mix are replaced by them: every later
        // sample then plays exactly at its own time and the track is exactly as long as the video.
        var audioWritten = audio.initialPadding
        var frames = 0
        var lastReport = Date.distantPast
        report(.start, frames: 0, total: expectedFrames, started: started)
        var hashes: FrameHashFile? = nil
        if o.frameHashes != nil {
            var file = FrameHashFile()
            var stream = FrameHashFile.Stream(timeBase: Rational(1, o.fps), mediaType: "video", codecID: "rawvideo")
            stream.width = o.width
            stream.height = o.height
            file.streams = [stream]
            hashes = file
        }
        var lastHashed: (frame: Frame, md5: String, size: Int)? = nil

        func encodeAudio(upTo limit: Int, final: Bool) throws {
            let size = audio.frameSize
            while audioWritten < limit {
                let n = min(size, limit - audioWritten)
                if n < size && !final { break }
                if fifo.count < n {
                    if final { fifo.appendSilence(n - fifo.count) } else { break }
                }
                let chunk = fifo.take(n)
                let frame = audio.makeAudioFrame(chunk, range: 0..<n, pts: Int64(audioWritten))
                for p in try audio.encode(frame) { try muxer.write(p, stream: audioStream) }
                audioWritten += n
            }
        }
        func takeAudio(_ chunk: AudioTimeline.Chunk) {
            // Chunks arrive in order; a chunk starting later than expected leaves a gap of silence.
            let expected = audioWritten + fifo.count
            if chunk.position > expected { fifo.appendSilence(chunk.position - expected) }
            let skip = max(0, expected - chunk.position)
            fifo.append(chunk.channels, dropping: skip)
        }

        while let frame = canvasQueue.pop() {
            if hashes != nil {
                // A repeated picture (same buffers) is not hashed twice.
                let (md5, size) = lastHashed.flatMap { $0.frame.sharesPixels(with: frame) ? ($0.md5, $0.size) : nil }
                    ?? FrameHasher.md5(video: frame)
                lastHashed = (frame, md5, size)
                let pts = frame.pts ?? Int64(frames)
                hashes!.entries.append(.init(stream: 0, dts: pts, pts: pts, duration: 1, size: size, md5: md5))
            }
            if let path = o.snapshots[frames] { try PNGFile.write(try frame.rgbImage(), to: path) }
            for p in try video.encode(frame) { try muxer.write(p, stream: videoStream) }
            frames += 1
            while let chunk = audioQueue.tryPop() { takeAudio(chunk) }
            try encodeAudio(upTo: frames * samplesPerFrame, final: false)
            if Date().timeIntervalSince(lastReport) >= 0.25 {
                lastReport = Date()
                report(.progress, frames: frames, total: max(expectedFrames, frames), started: started)
            }
        }
        if let error = failure.error { throw error }
        for p in try video.encode(nil) { try muxer.write(p, stream: videoStream) }
        while let chunk = audioQueue.pop() { takeAudio(chunk) }
        if let error = failure.error { throw error }
        try encodeAudio(upTo: frames * samplesPerFrame, final: true)
        for p in try audio.encode(nil) { try muxer.write(p, stream: audioStream) }
        try muxer.finish()
        if let hashes, let path = o.frameHashes {
            do { try hashes.text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw MediaError(.cannotWrite, path: path, "cannot write frame hashes: \(error.localizedDescription)")
            }
        }
        report(.done, frames: frames, total: frames, started: started)
        return frames
    }

    private func report(_ event: RenderProgress.Event, frames: Int, total: Int, started: Date) {
        let elapsed = max(Date().timeIntervalSince(started), 1e-6)
        let fps = Double(frames) / elapsed
        let eta: Double? = (event == .progress && fps > 0) ? Double(total - frames) / fps : (event == .done ? 0 : nil)
        onProgress(RenderProgress(event: event, frame: frames, totalFrames: total,
                                  percent: total > 0 ? min(100, 100 * Double(frames) / Double(total)) : 0,
                                  fps: fps, eta: eta, speed: fps / Double(options.fps), output: options.output))
    }
}

/// The output audio format (DESIGN.md): AAC-LC 48 kHz stereo ~192 kbit/s.
enum AudioFormat {
    static let sampleRate = 48000
    static let bitrate = 192_000
}

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

/// Values a stage thread hands back; read only after joining it.
final class StageResults: @unchecked Sendable {
    var sourceEnd = 0.0
    var reused = 0
}

/// The first error of any stage; the others stop when they see it.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Error?
    var error: Error? { lock.lock(); defer { lock.unlock() }; return first }
    func record(_ error: Error) { lock.lock(); if first == nil { first = error }; lock.unlock() }
}

/// A pipeline stage on its own thread, joinable.
final class StageThread: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var finished = false

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [done] in
            body()
            done.signal()
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the stage to end; safe to call more than once and from several threads.
    func join() {
        lock.lock()
        defer { lock.unlock() }
        if finished { return }
        done.wait()
        finished = true
    }
}
