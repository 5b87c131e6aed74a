internal import CFFmpeg
internal import CReelShims
import Foundation

/// An error reel reports to the user as one line: `<file>: <cause>`.
/// `kind` decides the process exit code, so each kind maps to one documented code.
public struct MediaError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        case notFound          // the input does not exist
        case invalidInput      // empty, truncated, not media, no video stream, bad option value for a file
        case unavailable       // an encoder or filter this libav build lacks
        case cannotWrite       // the destination cannot be created or written
        case usage             // a request that can never work (e.g. output = input)
        case interrupted       // SIGINT / SIGTERM
        case internalFailure   // libav refused something reel built; a bug
    }
    public let kind: Kind
    public let path: String
    public let cause: String

    public init(_ kind: Kind, path: String, _ cause: String) {
        self.kind = kind
        self.path = path
        self.cause = cause
    }

    public var description: String { path.isEmpty ? cause : "\(path): \(cause)" }
}

/// libav's text for an error code, plus the last error libav logged on this thread when it
/// adds detail (e.g. "moov atom not found").
func averrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    av_strerror(code, &buffer, buffer.count)
    let base = String(cBuffer: buffer)
    let logged = String(cString: reel_last_log_message())
    reel_clear_last_log_message()
    if logged.isEmpty || logged == base { return base }
    return "\(base) (\(logged))"
}

extension String {
    /// The text of a NUL-terminated C buffer libav filled (an error, a channel layout name).
    init(cBuffer: [CChar]) {
        self.init(decoding: cBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

let AVERROR_EOF_CODE: Int32 = reel_averror_eof()
let AVERROR_EAGAIN_CODE: Int32 = reel_averror(EAGAIN)
let NOPTS: Int64 = reel_nopts_value()

/// Throws a MediaError of `kind` when a libav call returned a negative code.
@discardableResult
func check(_ code: Int32, _ kind: MediaError.Kind = .internalFailure, path: String, _ what: @autoclosure () -> String) throws -> Int32 {
    if code < 0 {
        // AVERROR_EXIT from the interrupt callback: report the cancellation, not the I/O.
        try Cancellation.check()
        throw MediaError(kind, path: path, "\(what()): \(averrorText(code))")
    }
    return code
}

/// Configure libav logging once per process: quiet unless `verbose`, errors kept for reports.
public enum MediaLog {
    public static func configure(verbose: Bool) {
        reel_install_log_callback(verbose ? 32 /* AV_LOG_INFO */ : -8 /* AV_LOG_QUIET */)
    }
}
