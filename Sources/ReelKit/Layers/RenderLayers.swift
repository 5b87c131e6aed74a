import Foundation
import ReelMedia
import ReelText

/// What the compositor draws, bottom to top, made from a job's decisions. The planner builds
/// them once to check them (fonts, files, subtitles) and to learn what it needs (the
/// presenter's length, the cues for the hook); the pipeline builds them again from the job.
struct RenderLayers {
    let composer: CanvasComposer
    let presenter: PresenterSource?
    let stickers: [PlacedSticker]
    let subtitles: SubtitleTrack?
    let title: TextBlock?
    let headline: TextBlock?

    /// The screen canvas: background, and the crop fitted into the layout's screen panel.
    static func composer(options o: RenderOptions, source: SourcePicture, crop: PixelRect, layout: CanvasLayout) -> CanvasComposer {
        CanvasComposer(canvasWidth: o.width, canvasHeight: o.height, crop: crop,
                       panel: layout.panel(canvasWidth: o.width, canvasHeight: o.height, content: (crop.width, crop.height)),
                       background: o.background, source: source, bitexact: o.deterministic)
    }

    static func presenter(options o: RenderOptions, reader: VideoFrameReader?, layout: CanvasLayout) throws -> PresenterSource? {
        try o.presenter.map { p in
            try PresenterSource(options: p, reader: reader!, box: layout.presenterBox!, fit: p.fitMode ?? layout.fit,
                               canvasHeight: o.height, safeBottom: o.safeArea.scaled(toWidth: o.width, height: o.height).bottom,
                               fps: o.fps, threads: o.threads, bitexact: o.deterministic)
        }
    }

    static func stickers(options o: RenderOptions, presenter: PresenterSource?) throws -> [PlacedSticker] {
        guard !o.stickers.isEmpty else { return [] }
        let rasterizer: TextRasterizer
        do { rasterizer = try TextRasterizer() } catch let e as TextError { throw MediaError(e, path: "") }
        return try o.stickers.map { spec in
            do {
                switch spec.layer {
                case .presenter:
                    guard let presenter else { throw MediaError(.usage, path: "", "a sticker on layer=presenter needs --presenter") }
                    let centre = presenter.canvasPoint(x: spec.x, y: spec.y)
                    return try PlacedSticker(spec, layerWidth: Double(presenter.scaledWidth), centre: centre, rasterizer: rasterizer, limits: o.limits)
                case .canvas:
                    return try PlacedSticker(spec, layerWidth: Double(o.width), centre: (spec.x * Double(o.width), spec.y * Double(o.height)),
                                             rasterizer: rasterizer, limits: o.limits)
                }
            } catch let e as TextError { throw MediaError(e, path: spec.font) }
        }
    }

    /// Reads and checks the subtitle files up front: a broken file fails before any work.
    static func subtitles(options o: RenderOptions, captionBottom: Int, screenPanel: PixelRect, segmenter: WordSegmenter,
                          onWarning: (String) -> Void) throws -> SubtitleTrack? {
        guard let (path, cues) = try CaptionLint.readCues(o) else { return nil }
        let track: SubtitleTrack
        do {
            track = try SubtitleTrack(cues: cues, style: o.captions, canvasWidth: o.width, canvasHeight: o.height,
                                      safeArea: o.safeArea, fps: o.fps, captionBottom: captionBottom, screenPanel: screenPanel,
                                      segmenter: segmenter)
            if segmenter.dictionaryPath == nil, cues.contains(where: { !$0.chinese.isEmpty }) {
                onWarning("no Chinese word dictionary (apt-get install python3-jieba): Chinese lines may break inside words")
            }
            let missing = try track.missingCharacters()
            if !missing.isEmpty {
                onWarning("\(path): no installed font has these characters: \(String(missing)) (they will be left out)")
            }
        } catch let e as TextError {
            throw MediaError(e, path: path)
        }
        return track
    }

    /// The title (the body) and the hook's headline.
    static func titles(options o: RenderOptions, segmenter: WordSegmenter) throws -> (title: TextBlock?, headline: TextBlock?) {
        do {
            let title = try o.title.map { try TextBlock(text: $0, english: o.titleEnglish, style: o.captions, canvasWidth: o.width,
                                                     canvasHeight: o.height, safeArea: o.safeArea, segmenter: segmenter) }
            let headline = try o.hookTitle.map { try TextBlock(text: $0, english: o.hookTitleEnglish, style: o.captions,
                                                            size: o.captions.headlineSize, box: o.captions.headlineBox, canvasWidth: o.width,
                                                            canvasHeight: o.height, safeArea: o.safeArea, segmenter: segmenter) }
            return (title, headline)
        } catch let e as TextError { throw MediaError(e, path: o.captions.chinese.font) }
    }

    /// Every layer of `job`, opened again (the planner's warnings are not repeated).
    static func make(job: RenderJob) throws -> RenderLayers {
        let o = job.options
        let reader = try o.presenter.map { try PresenterSource.open($0, fps: o.fps, threads: o.threads, limits: o.limits, deinterlace: o.deinterlace) }
        let composer = composer(options: o, source: job.source, crop: job.crop, layout: job.layout)
        let presenter = try presenter(options: o, reader: reader, layout: job.layout)
        let stickers = try stickers(options: o, presenter: presenter)
        let segmenter = try o.wordSegmenter()
        let subtitles = try subtitles(options: o, captionBottom: job.layout.captionBottom, screenPanel: composer.panel,
                                      segmenter: segmenter, onWarning: { _ in })
        let (title, headline) = try titles(options: o, segmenter: segmenter)
        return RenderLayers(composer: composer, presenter: presenter, stickers: stickers, subtitles: subtitles,
                            title: title, headline: headline)
    }
}
