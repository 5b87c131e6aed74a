internal import CFFmpeg
import Foundation

/// Timing facts ffmpeg's own tools use, for reproducing their output (reel hash).
extension Demuxer {
    /// The frame rate ffmpeg's tools assume for a stream (av_guess_frame_rate), if any.
    public func guessedFrameRate(of index: Int) -> Rational? {
        let r = av_guess_frame_rate(context, stream(index), nil)
        return r.num > 0 && r.den > 0 ? Rational(Int(r.num), Int(r.den)) : nil
    }

    /// The stream's own sample aspect ratio (the container's), 0/1 when it has none.
    public func storedSampleAspect(of index: Int) -> Rational {
        let s = stream(index).pointee.sample_aspect_ratio
        return s.den > 0 ? Rational(Int(s.num), Int(s.den)) : Rational(0, 1)
    }

    /// The container's start time in microseconds (what ffmpeg subtracts from every timestamp).
    public var containerStart: Int64? {
        context.pointee.start_time == NOPTS ? nil : context.pointee.start_time
    }
}

extension Frame {
    /// The sample aspect ratio as stored, 0/1 when unknown (framemd5 writes it so).
    public var storedSampleAspect: Rational {
        let s = pointer.pointee.sample_aspect_ratio
        return s.den > 0 ? Rational(Int(s.num), Int(s.den)) : Rational(0, 1)
    }
}
