internal import CFFmpeg
import Foundation

/// The canvas of a blurred-fill layout from its two parts: the small blurred fill, scaled up
/// to the canvas with libswscale, and the panel copied over it at (x, y). It gives the same
/// pixels as libavfilter's `[fill]scale=W:H[bg];[bg][panel]overlay=x:y:format=yuv420`
/// (an opaque overlay is a copy; `CanvasPartsTests` compares the two), at less cost:
/// - only the rows the panel does not cover are scaled (`sws_receive_slice`): with a
///   full-width panel a third to a half of the 1080x1920 upscale is never computed;
/// - when the small fill has the same pixels as the one before (a change too small to
///   survive the 1/8 size and the blur), those rows are copied from the canvas before. The
///   canvas is kept for that only while fills repeat (from the second repeat on): a kept
///   canvas cannot be drawn into in place, so the layer above would copy all 3 MB of it every
///   frame of a recording whose fills never repeat;
/// - no yuva420p conversion of the panel and no blend (what overlay needs for its input).
/// Measured on the 45 s bench job: see README "Performance".
/// `@unchecked Sendable`: one owner at a time (the compose stage's screen layer), like
/// `FilterGraph`; libswscale's context is never used from two threads at once.
public final class PanelCanvas: @unchecked Sendable {
    public let width: Int, height: Int
    public let panelX: Int, panelY: Int
    /// libswscale flags by name ("bilinear", "bilinear+accurate_rnd+bitexact"), as `scale`'s `flags=`.
    let flags: String
    let threads: Int
    private var scaler: OpaquePointer? = nil
    private var scalerInput: (width: Int, height: Int) = (0, 0)
    /// The last small fill, and its canvas while fills repeat.
    private var last: (fill: Frame, canvas: Frame?)? = nil
    /// Canvases whose fill rows were copied from the canvas before (same small fill).
    public private(set) var fillsReused = 0

    /// - Parameters:
    ///   - flags: libswscale flags for the upscale, as `scale`'s `flags=` option spells them.
    ///   - threads: libswscale's slice threads (0: one per core), as libavfilter's `scale` gets.
    public init(width: Int, height: Int, panelX: Int, panelY: Int, flags: Filter.ScaleFlags, threads: Int) {
        self.width = width
        self.height = height
        self.panelX = panelX
        self.panelY = panelY
        self.flags = flags.text
        self.threads = threads
    }

    deinit { sws_freeContext(scaler) }

    /// The canvas: `fill` (yuv420p, any size) scaled to the canvas where `panel` (yuv420p)
    /// does not cover it, `panel` at (panelX, panelY). Frame properties are the fill's
    /// (overlay's output takes its main input's), with square pixels.
    public func canvas(panel: Frame, fill: Frame) throws -> Frame {
        try panel.requireFormat(AV_PIX_FMT_YUV420P, "a canvas panel")
        try fill.requireFormat(AV_PIX_FMT_YUV420P, "a canvas fill")
        guard panelX >= 0, panelY >= 0, panelX % 2 == 0, panelY % 2 == 0,
              panelX + panel.width <= width, panelY + panel.height <= height else {
            throw MediaError(.internalFailure, path: "", "a \(panel.width)x\(panel.height) panel at \(panelX),\(panelY) is not inside a \(width)x\(height) canvas on even lines")
        }
        let out = Frame()
        out.pointer.pointee.width = Int32(width)
        out.pointer.pointee.height = Int32(height)
        out.pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        try out.allocateBuffers("a \(width)x\(height) canvas")
        let rows = fillRows(panelWidth: panel.width, panelHeight: panel.height)
        let repeated = last?.fill.hasSamePixels(as: fill) ?? false
        if repeated, let before = last?.canvas {
            fillsReused += 1
            for r in rows { copyRows(r, from: before, to: out) }
        } else {
            try scale(fill, rows: rows, into: out)
        }
        copyPanel(panel, into: out)
        try check(av_frame_copy_props(out.pointer, fill.pointer), path: "", "canvas properties")
        out.pointer.pointee.sample_aspect_ratio = AVRational(num: 1, den: 1)
        last = (fill.reference(), repeated ? out.reference() : nil)
        return out
    }

    /// Output rows the fill shows in: all but those a full-width panel covers. Whole chroma
    /// rows (the panel's top and height are even).
    func fillRows(panelWidth: Int, panelHeight: Int) -> [Range<Int>] {
        guard panelX == 0, panelWidth == width else { return [0..<height] }
        return [0..<panelY, (panelY + panelHeight)..<height].filter { !$0.isEmpty }
    }

    private func scale(_ fill: Frame, rows: [Range<Int>], into out: Frame) throws {
        if scaler == nil || scalerInput != (fill.width, fill.height) {
            sws_freeContext(scaler)
            scaler = nil
            guard let s = sws_alloc_context() else { fatalError("sws_alloc_context: out of memory") }
            // The options libavfilter's scale sets for this conversion (yuv420p to yuv420p,
            // same range): the same context, so the same pixels.
            let options: [(String, Int64)] = [("srcw", Int64(fill.width)), ("srch", Int64(fill.height)),
                                              ("src_format", Int64(AV_PIX_FMT_YUV420P.rawValue)),
                                              ("dstw", Int64(width)), ("dsth", Int64(height)),
                                              ("dst_format", Int64(AV_PIX_FMT_YUV420P.rawValue)),
                                              ("threads", Int64(threads))]
            let raw = UnsafeMutableRawPointer(s)
            for (name, value) in options {
                try check(av_opt_set_int(raw, name, value, 0), path: "", "libswscale option \(name)")
            }
            try check(av_opt_set(raw, "sws_flags", flags, 0), path: "", "libswscale flags \(flags)")
            do {
                try check(sws_init_context(s, nil, nil), path: "", "libswscale \(fill.width)x\(fill.height) to \(width)x\(height)")
            } catch {
                sws_freeContext(s)
                throw error
            }
            scaler = s
            scalerInput = (fill.width, fill.height)
            sliceMode = nil
        }
        if rows == [0..<height] { return try receive(fill, rows: 0..<height, into: out, lumaShift: false) }
        switch sliceMode {
        case .partial(let lumaShift):
            for r in rows { try receive(fill, rows: r, into: out, lumaShift: lumaShift) }
        case .whole:
            try receive(fill, rows: 0..<height, into: out, lumaShift: false)
        case nil:
            // First canvas of this context: the whole upscale, then learn which way of asking
            // for a part gives exactly its rows (see `SliceMode`).
            try receive(fill, rows: 0..<height, into: out, lumaShift: false)
            sliceMode = .whole
            for lumaShift in [false, true] {
                let probe = Frame()
                probe.pointer.pointee.width = Int32(width)
                probe.pointer.pointee.height = Int32(height)
                probe.pointer.pointee.format = AV_PIX_FMT_YUV420P.rawValue
                try probe.allocateBuffers("a \(width)x\(height) canvas")
                for r in rows { try receive(fill, rows: r, into: probe, lumaShift: lumaShift) }
                if rows.allSatisfy({ sameRows($0, probe, out) }) {
                    sliceMode = .partial(lumaShift: lumaShift)
                    break
                }
            }
        }
    }

    /// How libswscale is asked for a part of the canvas. Without slice threads, libswscale 5.1
    /// (`sws_receive_slice`) offsets every plane's output by the chroma row of the slice's
    /// start, so the luma of a slice below the top lands at half its row: `lumaShift` moves
    /// the luma pointer down by the difference. Which one gives the whole upscale's rows is
    /// checked on the first canvas; `whole` if neither does (a libswscale that scales a part
    /// another way).
    enum SliceMode: Equatable { case partial(lumaShift: Bool), whole }
    private var sliceMode: SliceMode? = nil
    /// Whether canvases after the first scale only the fill's rows (tests check it is so here).
    public var scalesOnlyFillRows: Bool { if case .partial = sliceMode { return true } else { return false } }

    /// Canvas rows `rows` of the scaled-up fill into `out`.
    private func receive(_ fill: Frame, rows r: Range<Int>, into out: Frame, lumaShift: Bool) throws {
        let s = scaler!
        // Widen to the alignment libswscale asks for; the extra rows are the panel's and are
        // written over by it.
        let align = Int(max(1, sws_receive_slice_alignment(s)))
        let start = r.lowerBound / align * align
        let end = min(height, (r.upperBound + align - 1) / align * align)
        let dst = out.reference()
        if lumaShift { dst.pointer.pointee.data.0! += Int(dst.pointer.pointee.linesize.0) * (start - start / 2) }
        try check(sws_frame_start(s, dst.pointer, fill.pointer), path: "", "canvas fill scale")
        defer { sws_frame_end(s) }
        try check(sws_send_slice(s, 0, UInt32(fill.height)), path: "", "canvas fill scale input")
        try check(sws_receive_slice(s, UInt32(start), UInt32(end - start)), path: "", "canvas fill scale rows \(start)..<\(end)")
    }

    /// Whether two canvases have the same samples in luma rows `rows` and the chroma under them.
    private func sameRows(_ rows: Range<Int>, _ a: Frame, _ b: Frame) -> Bool {
        for (plane, sub) in [(0, 0), (1, 1), (2, 1)] {
            let pa = a.plane(plane), pb = b.plane(plane)
            let bytes = (width + sub) >> sub
            for row in (rows.lowerBound >> sub)..<((rows.upperBound + sub) >> sub)
            where memcmp(pa.data + row * pa.linesize, pb.data + row * pb.linesize, bytes) != 0 {
                return false
            }
        }
        return true
    }

    /// Copies canvas rows (luma `rows`, the chroma rows under them) from one canvas to another.
    private func copyRows(_ rows: Range<Int>, from src: Frame, to dst: Frame) {
        for (plane, sub) in [(0, 0), (1, 1), (2, 1)] {
            let chromaRows = (rows.lowerBound >> sub)..<((rows.upperBound + sub) >> sub)
            copyPlane(dst.plane(plane), src.plane(plane), x: 0, rows: chromaRows, bytes: (width + sub) >> sub)
        }
    }

    /// The panel's planes into the canvas at (panelX, panelY): even, so chroma lines up.
    private func copyPanel(_ panel: Frame, into dst: Frame) {
        for (plane, sub) in [(0, 0), (1, 1), (2, 1)] {
            let w = (panel.width + sub) >> sub, h = (panel.height + sub) >> sub
            let d = dst.plane(plane), p = panel.plane(plane)
            let x = panelX >> sub, y = panelY >> sub
            for row in 0..<h { memcpy(d.data + (y + row) * d.linesize + x, p.data + row * p.linesize, w) }
        }
    }

    private func copyPlane(_ dst: (data: UnsafeMutablePointer<UInt8>, linesize: Int),
                           _ src: (data: UnsafeMutablePointer<UInt8>, linesize: Int), x: Int, rows: Range<Int>, bytes: Int) {
        guard !rows.isEmpty else { return }
        let dl = dst.linesize, sl = src.linesize
        if dl == sl {
            memcpy(dst.data + rows.lowerBound * dl + x, src.data + rows.lowerBound * sl + x, (rows.count - 1) * dl + bytes)
        } else {
            for row in rows { memcpy(dst.data + row * dl + x, src.data + row * sl + x, bytes) }
        }
    }
}
