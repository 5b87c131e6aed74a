#ifndef REEL_SHIMS_H
#define REEL_SHIMS_H
// Small C helpers for what Swift cannot import from libav: function-like macros,
// compound-literal constants and va_list callbacks. Every symbol is prefixed reel_.
#include <stdint.h>

struct AVChannelLayout;
struct AVStream;
struct AVFrame;

/// AVERROR(e) is a function-like macro; Swift cannot call it.
int reel_averror(int posix_errno);
/// AVERROR_EOF is built with FFERRTAG, a macro.
int reel_averror_eof(void);
/// AV_NOPTS_VALUE is a cast expression Swift imports poorly.
int64_t reel_nopts_value(void);
/// AV_CHANNEL_LAYOUT_STEREO is a compound literal.
void reel_channel_layout_stereo(struct AVChannelLayout *layout);
/// How to turn a stream's stored pictures upright, decided from its display matrix exactly
/// as ffmpeg's autorotate does (fftools' transpose/hflip/vflip choice): mirror horizontally
/// first when *mirror, then turn *clockwise degrees (0, 90, 180, 270; other angles are
/// rounded to the nearest degree and not turned by reel). Returns 0 without a matrix.
/// Reads the matrix from AVCodecParameters.coded_side_data on FFmpeg 6.1+ (libavformat 60.15
/// deprecated av_stream_get_side_data; FFmpeg 8 removes it) and from the stream's side data
/// before (whose size out-parameter type also differs between versions).
int reel_stream_orientation(const struct AVStream *stream, int *clockwise, int *mirror);

/// A frame's duration in its time base (0 when unknown): AVFrame.pkt_duration until
/// libavutil 57.30, AVFrame.duration after (pkt_duration is gone in FFmpeg 7).
int64_t reel_frame_duration(const struct AVFrame *frame);
/// Sets it (for frames reel makes itself).
void reel_set_frame_duration(struct AVFrame *frame, int64_t duration);

/// The profile constants: FF_PROFILE_* until FFmpeg 6.1, AV_PROFILE_* after (FF_PROFILE_* are
/// deprecated in 7 and removed in 8).
int reel_profile_h264_high(void);
int reel_profile_aac_low(void);

/// Whether a decoded frame is interlaced: AVFrame.interlaced_frame until FFmpeg 6.1,
/// the AV_FRAME_FLAG_INTERLACED flag after (the field is gone in 7).
int reel_frame_is_interlaced(const struct AVFrame *frame);

/// Routes av_log through reel: messages at or below `print_level` go to stderr
/// prefixed "reel: libav: "; the last error-level message is kept per thread for
/// error reports. The callback formats with vsnprintf; user text is never a format.
void reel_install_log_callback(int print_level);
/// The last error-level libav message logged on this thread ("" if none), trailing newline removed.
const char *reel_last_log_message(void);
void reel_clear_last_log_message(void);

/// Cancellation shared by every libav context reel opens: a signal (or a failed stdout)
/// sets it once; libav's blocking I/O polls it through `reel_interrupt_callback`, so a read,
/// a write or the MP4 trailer's rewrite returns AVERROR_EXIT instead of carrying on.
void reel_request_cancel(int signal_number);
/// The signal that asked for cancellation (or -1 for a non-signal cause), 0 while none.
int reel_cancel_reason(void);
/// Sets `ctx->interrupt_callback` (an AVFormatContext) to poll the cancellation flag.
void reel_install_interrupt(void *format_context);
#endif
