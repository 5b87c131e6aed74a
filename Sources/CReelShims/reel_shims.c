#include "reel_shims.h"
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/display.h>
#include <libavutil/frame.h>
#include <libavutil/version.h>
#include <libavcodec/avcodec.h>
#include <libavcodec/version.h>
#include <libavformat/avformat.h>
#include <libavformat/version.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int reel_averror(int posix_errno) { return AVERROR(posix_errno); }
int reel_averror_eof(void) { return AVERROR_EOF; }
int64_t reel_nopts_value(void) { return AV_NOPTS_VALUE; }

void reel_channel_layout_stereo(AVChannelLayout *layout) {
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    av_channel_layout_copy(layout, &stereo);
}

int reel_stream_orientation(const AVStream *stream, int *clockwise, int *mirror) {
    *clockwise = 0;
    *mirror = 0;
    const int32_t *m = NULL;
#if LIBAVFORMAT_VERSION_INT >= AV_VERSION_INT(60, 15, 100)
    const AVPacketSideData *sd = av_packet_side_data_get(stream->codecpar->coded_side_data,
                                                         stream->codecpar->nb_coded_side_data,
                                                         AV_PKT_DATA_DISPLAYMATRIX);
    if (sd && sd->size >= 9 * sizeof(int32_t)) m = (const int32_t *)sd->data;
#else
    m = (const int32_t *)av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, NULL);
#endif
    if (!m) return 0;
    double ccw = av_display_rotation_get(m);
    if (isnan(ccw)) return 0;
    // fftools' get_rotation: clockwise degrees in [0, 360).
    double theta = -round(ccw);
    theta -= 360 * floor(theta / 360 + 0.9 / 360);
    // fftools' choice of filters, rewritten as "hflip, then turn clockwise":
    // transpose (cclock_flip) = hflip + 270; clock_flip = hflip + 90; vflip = hflip + 180.
    if (fabs(theta - 90) < 1.0) {
        *clockwise = m[3] > 0 ? 270 : 90;
        *mirror = m[3] > 0;
    } else if (fabs(theta - 180) < 1.0) {
        int h = m[0] < 0, v = m[4] < 0;
        if (h && v) *clockwise = 180;
        else if (h) *mirror = 1;
        else if (v) { *mirror = 1; *clockwise = 180; }
    } else if (fabs(theta - 270) < 1.0) {
        *clockwise = m[3] < 0 ? 90 : 270;
        *mirror = m[3] < 0;
    } else if (fabs(theta) < 1.0 || fabs(theta - 360) < 1.0) {
        if (m[4] < 0) { *mirror = 1; *clockwise = 180; }
    } else {
        // Not a quarter turn: ffmpeg uses its `rotate` filter; report the angle.
        *clockwise = (int)theta;
        *mirror = ((int64_t)m[0] * m[4] - (int64_t)m[1] * m[3]) < 0;
    }
    return 1;
}

int64_t reel_frame_duration(const AVFrame *frame) {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    return frame->duration;
#else
    return frame->pkt_duration;
#endif
}

void reel_set_frame_duration(AVFrame *frame, int64_t duration) {
#if LIBAVUTIL_VERSION_INT >= AV_VERSION_INT(57, 30, 100)
    frame->duration = duration;
#else
    frame->pkt_duration = duration;
#endif
}

int reel_profile_h264_high(void) {
#ifdef AV_PROFILE_H264_HIGH
    return AV_PROFILE_H264_HIGH;
#else
    return FF_PROFILE_H264_HIGH;
#endif
}

int reel_profile_aac_low(void) {
#ifdef AV_PROFILE_AAC_LOW
    return AV_PROFILE_AAC_LOW;
#else
    return FF_PROFILE_AAC_LOW;
#endif
}

int reel_frame_is_interlaced(const AVFrame *frame) {
#ifdef AV_FRAME_FLAG_INTERLACED
    return (frame->flags & AV_FRAME_FLAG_INTERLACED) != 0;
#else
    return frame->interlaced_frame != 0;
#endif
}

static int reel_print_level = AV_LOG_QUIET;
static _Thread_local char reel_last_message[1024];

static void reel_log_callback(void *avcl, int level, const char *fmt, va_list vl) {
    (void)avcl;
    if (level > AV_LOG_INFO) return;
    char line[1024];
    vsnprintf(line, sizeof line, fmt, vl);
    size_t n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    if (n == 0) return;
    if (level <= AV_LOG_ERROR) memcpy(reel_last_message, line, n + 1);
    if (level <= reel_print_level) fprintf(stderr, "reel: libav: %s\n", line);
}

void reel_install_log_callback(int print_level) {
    reel_print_level = print_level;
    av_log_set_callback(reel_log_callback);
}

const char *reel_last_log_message(void) { return reel_last_message; }
void reel_clear_last_log_message(void) { reel_last_message[0] = 0; }

static atomic_int reel_cancel = 0;

int reel_request_cancel(int signal_number) {
    int expected = 0;
    return atomic_compare_exchange_strong(&reel_cancel, &expected, signal_number == 0 ? -1 : signal_number);
}

static int reel_signal_notify_fd = -1;

/// Async-signal-safe: a lock-free atomic and write(2), nothing else.
static void reel_signal_handler(int signal_number) {
    int saved = errno;
    int expected = 0;
    atomic_compare_exchange_strong(&reel_cancel, &expected, signal_number);
    unsigned char byte = (unsigned char)signal_number;
    if (reel_signal_notify_fd >= 0) { ssize_t n = write(reel_signal_notify_fd, &byte, 1); (void)n; }
    errno = saved;
}

int reel_install_signal_handlers(const int *signals, int count) {
    int fds[2];
    if (pipe(fds) != 0) return -1;   // at startup, before any thread could fork
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    // The handler must never block: a full pipe only drops a wake-up, the flag is already set.
    fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
    reel_signal_notify_fd = fds[1];
    for (int i = 0; i < count; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = reel_signal_handler;
        sigfillset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return fds[0];
}

void reel_restore_default_signals(const int *signals, int count) {
    for (int i = 0; i < count; i++) signal(signals[i], SIG_DFL);
}

int reel_cancel_reason(void) { return atomic_load(&reel_cancel); }

static int reel_interrupt_callback(void *opaque) {
    (void)opaque;
    return atomic_load(&reel_cancel) != 0;
}

void reel_install_interrupt(void *format_context) {
    AVFormatContext *ctx = format_context;
    ctx->interrupt_callback.callback = reel_interrupt_callback;
    ctx->interrupt_callback.opaque = NULL;
}

static int reel_fd_read(void *opaque, uint8_t *buf, int size) {
    int fd = (int)(intptr_t)opaque;
    for (;;) {
        ssize_t n = read(fd, buf, (size_t)size);
        if (n > 0) return (int)n;
        if (n == 0) return AVERROR_EOF;
        if (errno != EINTR) return AVERROR(errno);
    }
}

static int64_t reel_fd_seek(void *opaque, int64_t offset, int whence) {
    int fd = (int)(intptr_t)opaque;
    if (whence & AVSEEK_SIZE) {
        struct stat st;
        return fstat(fd, &st) == 0 ? (int64_t)st.st_size : AVERROR(errno);
    }
    off_t at = lseek(fd, (off_t)offset, whence & ~AVSEEK_FORCE);
    return at < 0 ? AVERROR(errno) : (int64_t)at;
}

struct AVIOContext *reel_avio_reader(int fd) {
    const int size = 32768;
    unsigned char *buffer = av_malloc(size);
    if (!buffer) return NULL;
    AVIOContext *pb = avio_alloc_context(buffer, size, 0, (void *)(intptr_t)fd, reel_fd_read, NULL, reel_fd_seek);
    if (!pb) av_free(buffer);
    return pb;
}

void reel_avio_reader_free(struct AVIOContext **pb) {
    if (!pb || !*pb) return;
    av_freep(&(*pb)->buffer);
    avio_context_free(pb);
}

int reel_limit_malloc_arenas(int count) {
#if defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, count);
#else
    (void)count;
    return 0;
#endif
}

void reel_return_freed_heap_pages(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
