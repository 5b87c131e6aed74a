#ifndef REEL_SHIMS_H
#define REEL_SHIMS_H
// Small C helpers for what Swift cannot import from libav: function-like macros,
// compound-literal constants and va_list callbacks. Every symbol is prefixed reel_.
#include <stdint.h>

struct AVChannelLayout;
struct AVStream;
struct AVFrame;
struct AVIOContext;

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
/// Returns 1 when this request was the first (the one that counts), else 0.
int reel_request_cancel(int signal_number);
/// Installs a handler for each of `signals` that sets the cancellation flag (the first signal
/// wins) and writes the signal number as one byte to a pipe; returns the pipe's read end
/// (close-on-exec, blocking), or -1. A handler in C because it must be async-signal-safe: no
/// signal is lost between install and a watcher being ready, and none is ignored (SIG_IGN
/// would discard one that arrives before a dispatch source is registered).
int reel_install_signal_handlers(const int *signals, int count);
/// Puts `signals` back to their default action (a command that does not handle cancellation).
void reel_restore_default_signals(const int *signals, int count);
/// The signal that asked for cancellation (or -1 for a non-signal cause), 0 while none.
int reel_cancel_reason(void);
/// Sets `ctx->interrupt_callback` (an AVFormatContext) to poll the cancellation flag.
void reel_install_interrupt(void *format_context);

/// libav reading from a descriptor reel opened and checked itself (a regular file), never
/// opening the path a second time: a path swapped for a FIFO after the check cannot block
/// `avformat_open_input`. Set it as the context's `pb` (custom I/O, so libav neither opens
/// nor closes it); the descriptor stays reel's. NULL when out of memory.
struct AVIOContext *reel_avio_reader(int fd);
/// Frees a context from `reel_avio_reader` (and its buffer) after the format context is closed.
void reel_avio_reader_free(struct AVIOContext **pb);

/// glibc's malloc arenas: at most `count` (mallopt M_ARENA_MAX; `malloc.h` is not in Swift's
/// Glibc module). Returns mallopt's result (1 on success, 0 if refused); 0 on another libc.
int reel_limit_malloc_arenas(int count);
/// Returns whole free pages inside every arena to the system (glibc malloc_trim(0), which
/// also releases pages in the middle of the heap); nothing on another libc.
void reel_return_freed_heap_pages(void);
#endif
