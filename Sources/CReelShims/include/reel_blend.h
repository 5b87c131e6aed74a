#ifndef REEL_BLEND_H
#define REEL_BLEND_H
// Alpha blending of one row of 8-bit samples, written so the C compiler vectorizes it
// (16-bit lanes, no branches): Swift's per-pixel loop does not vectorize (Int arithmetic,
// early `continue`s). Bit-exact with the arithmetic reel's golden frames were made with.
#include <stdint.h>

/// dst[i] = dst[i] + ((src[i] - dst[i]) * a + 127) / 255 (C division, towards zero), with
/// a = (alpha[i] * k) >> 8 (k = 256: alpha as is; k <= 256); a = 0 leaves dst[i] as it is.
/// With `opaque_copies`, a = 255 copies src[i] (the formula would keep dst[i] when
/// src[i] < dst[i]: the presenter path has always copied).
void reel_blend_row(uint8_t *dst, const uint8_t *src, const uint8_t *alpha, int count, int k, int opaque_copies);

/// The alpha of each chroma sample of a 4:2:0 picture: the rounded mean of the 2x2 luma
/// alphas it covers, (a0[2i] + a0[2i+1] + a1[2i] + a1[2i+1] + 2) >> 2, for chroma columns
/// first..<first+count; a column past `luma_width - 1` is clamped to the last one.
void reel_chroma_alpha_row(uint8_t *out, const uint8_t *a0, const uint8_t *a1, int first, int count, int luma_width);
#endif
