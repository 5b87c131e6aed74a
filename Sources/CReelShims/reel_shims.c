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
#include <math.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

void reel_request_cancel(int signal_number) {
    int expected = 0;
    atomic_compare_exchange_strong(&reel_cancel, &expected, signal_number == 0 ? -1 : signal_number);
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
