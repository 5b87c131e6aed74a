import Foundation
import ReelMedia

/// `reel hash`: decodes a file bit-exactly and checksums every frame as framemd5 does.
public enum MediaHasher {
    public struct Options: Sendable {
        public var audio = false
        /// Convert pictures to this pixel format (bit-exact libswscale) before hashing.
        public var pixelFormat: String?
        /// Turn pictures upright by their display matrix first, as ffmpeg does by default
        /// (transposes are exact pixel moves, so hashes stay comparable with ffmpeg's).
        public var autorotate = true
        public init() {}
    }

    /// Hashes the best video stream (and audio, if asked).
    public static func hash(path: String, options: Options = Options()) throws -> FrameHashFile {
        let demuxer = try Demuxer(path: path)
        guard let v = demuxer.bestStream(.video) else { throw MediaError(.invalidInput, path: path, "no video stream") }
        let a = options.audio ? demuxer.bestStream(.audio) : nil
        let video = try Decoder(demuxer, stream: v, bitexact: true)
        let audio = try a.map { try Decoder(demuxer, stream: $0, threads: 1, bitexact: true) }
        // A checksum must not skip a frame: the first damaged packet fails the hash.
        // As ffmpeg's framemd5: a packet that does not decode has no line (damage concealed, DecodeDamage).
        let decoded = DecodedFrames(demuxer, decoders: [video] + (audio.map { [$0] } ?? []))
        var file = FrameHashFile()
        var timing = FramemdTiming(frameRate: demuxer.guessedFrameRate(of: v), streamTimeBase: video.timeBase,
                                   containerStart: demuxer.containerStart)
        var videoStream = FrameHashFile.Stream(timeBase: timing.timeBase, mediaType: "video", codecID: "rawvideo")
        file.software = "Lavf\(LibraryVersions.avformat)"
        var audioStream = FrameHashFile.Stream(timeBase: Rational(1, 1), mediaType: "audio", codecID: "pcm_s16le")
        let info = try Probe.inspect(path: path, scanPackets: 0)
        let picture = info.streams.first { $0.index == v }.map { SourcePicture(stream: $0) }
        let upright = options.autorotate ? picture?.rotationChain ?? [] : []
        let streamAspect = demuxer.storedSampleAspect(of: v)
        let quarterTurn = options.autorotate && (picture?.rotation ?? 0) % 180 == 90
        let conversion = upright + (options.pixelFormat.map { [.scale(nil, nil, flags: .exactBicubic), .format($0)] } ?? [])
        // Rebuilt if the pictures change size or format mid-stream (as ffmpeg reconfigures).
        let converter = ReconfiguringFilter(FilterChain(conversion), timeBase: video.timeBase)
        var sawVideo = false, sawAudio = false
        let packer = SamplePacker()

        func addVideo(_ frames: [Frame]) throws {
            for var frame in frames {
                // ffmpeg's timing (FramemdTiming), from the decoded frame: drops, pts, duration 1.
                guard let pts = timing.place(pts: frame.pts ?? 0, duration: frame.durationUnits) else { continue }
                // As ffmpeg 5.1: the container's aspect when it has one, else the frame's (0/1 when
                // unknown); a transpose turns it over, as ffmpeg's does.
                var sar = streamAspect.num != 0 ? streamAspect : frame.storedSampleAspect
                if quarterTurn, sar.num > 0 { sar = Rational(sar.den, sar.num) }
                if !conversion.isEmpty {
                    guard let converted = try converter.process(frame).first else { continue }
                    frame = converted
                }
                if !sawVideo {
                    videoStream.width = frame.width
                    videoStream.height = frame.height
                    videoStream.sampleAspect = sar
                    sawVideo = true
                }
                let (md5, size) = FrameHasher.md5(video: frame)
                file.entries.append(.init(stream: 0, dts: pts, pts: pts, duration: 1, size: size, md5: md5))
            }
        }
        func addAudio(_ frames: [Frame], _ decoder: Decoder) throws {
            for frame in frames {
                let (bytes, rate, layout) = try packer.s16(frame)
                if !sawAudio {
                    audioStream.timeBase = Rational(1, rate)
                    audioStream.sampleRate = rate
                    audioStream.channelLayout = layout
                    sawAudio = true
                }
                let pts = frame.pts.map { Int64((Double($0) * decoder.timeBase.value * Double(rate)).rounded()) } ?? 0
                file.entries.append(.init(stream: 1, dts: pts, pts: pts, duration: Int64(frame.sampleCount),
                                          size: bytes.count, md5: FrameHasher.md5(bytes)))
            }
        }
        while let batch = try decoded.nextBatch() {
            if batch.decoder === video { try addVideo(batch.frames) } else { try addAudio(batch.frames, batch.decoder) }
        }
        file.streams = [videoStream] + (sawAudio ? [audioStream] : [])
        return file
    }
}
