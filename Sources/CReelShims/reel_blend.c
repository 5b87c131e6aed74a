#include "reel_blend.h"
#include <string.h>

// x / 255 for 0 <= x <= 65534 exactly, in 16 bits: (x + 1 + (x >> 8)) >> 8.
// The signed product of the formula is split into its sign and magnitude so every value
// fits an unsigned 16-bit lane: |src - dst| * a <= 255 * 255.
// Eight 16-bit lanes through the compiler's vector extension (clang, gcc): C's integer
// promotion would otherwise make the auto-vectorizer use 32-bit lanes (measured: 16.6
// instructions a sample under callgrind, no better than Swift's scalar loop).
typedef uint16_t reel_u16x8 __attribute__((vector_size(16)));

/// Eight samples of `reel_blend_row`'s arithmetic.
static inline void reel_blend8(uint8_t *restrict dst, const uint8_t *restrict src, const uint8_t *restrict alpha,
                               uint16_t kk, uint16_t copies) {
    reel_u16x8 d, s, al;
    for (int j = 0; j < 8; j++) { d[j] = dst[j]; s[j] = src[j]; al[j] = alpha[j]; }
    reel_u16x8 a = (al * kk) >> 8;
    reel_u16x8 up = (reel_u16x8)(s >= d);
    reel_u16x8 m = ((up & (s - d)) | (~up & (d - s))) * a;
    reel_u16x8 x = (up & (m + 127)) | (~up & ((reel_u16x8)(m > 127) & (m - 127)));
    reel_u16x8 q = (x + 1 + (x >> 8)) >> 8;
    reel_u16x8 r = (up & (d + q)) | (~up & (d - q));
    reel_u16x8 none = (reel_u16x8)(a == 0), opaque = (reel_u16x8)(a == copies);
    r = (none & d) | (~none & r);
    r = (opaque & s) | (~opaque & r);
    for (int j = 0; j < 8; j++) dst[j] = (uint8_t)r[j];
}

void reel_blend_row(uint8_t *restrict dst, const uint8_t *restrict src, const uint8_t *restrict alpha,
                    int count, int k, int opaque_copies) {
    const uint16_t kk = (uint16_t)k;
    const uint16_t copies = opaque_copies ? 255 : 256;   // 256: no alpha is that value
    // A presenter is mostly fully transparent (outside its shape) or fully opaque (inside):
    // 16 samples of alpha 0 leave dst as it is, and 16 of 255 (k = 256, copies) are src,
    // exactly what the arithmetic gives them; only mixed runs go through it (measured on the
    // bench job: see the issue-16 note).
    const int copy_runs = opaque_copies && k == 256;
    int i = 0;
    for (; i + 16 <= count; i += 16) {
        uint64_t a0, a1;
        memcpy(&a0, alpha + i, 8);
        memcpy(&a1, alpha + i + 8, 8);
        if ((a0 | a1) == 0) continue;
        if (copy_runs && (a0 & a1) == ~(uint64_t)0) { memcpy(dst + i, src + i, 16); continue; }
        reel_blend8(dst + i, src + i, alpha + i, kk, copies);
        reel_blend8(dst + i + 8, src + i + 8, alpha + i + 8, kk, copies);
    }
    for (; i + 8 <= count; i += 8) reel_blend8(dst + i, src + i, alpha + i, kk, copies);
    for (; i < count; i++) {
        uint16_t d = dst[i], s = src[i];
        uint16_t a = (uint16_t)((uint16_t)(alpha[i] * kk) >> 8);
        uint16_t up = s >= d;
        uint16_t m = (uint16_t)((up ? s - d : d - s) * a);
        // t = ±m + 127, truncated towards zero after the division.
        uint16_t x = up ? (uint16_t)(m + 127) : (m > 127 ? (uint16_t)(m - 127) : 0);
        uint16_t q = (uint16_t)((x + 1 + (x >> 8)) >> 8);
        uint16_t r = up ? d + q : d - q;
        r = a == 0 ? d : r;
        r = a == copies ? s : r;
        dst[i] = (uint8_t)r;
    }
}

void reel_chroma_alpha_row(uint8_t *restrict out, const uint8_t *a0, const uint8_t *a1,
                           int first, int count, int luma_width) {
    int i = 0;
    // Every column whose right neighbour exists (the common case) first, branch-free.
    int inner = luma_width / 2 - first;   // columns c with 2c + 1 <= luma_width - 1
    if (inner > count) inner = count;
    for (; i < inner; i++) {
        int c = 2 * (first + i);
        out[i] = (uint8_t)((a0[c] + a0[c + 1] + a1[c] + a1[c + 1] + 2) >> 2);
    }
    for (; i < count; i++) {
        int c0 = 2 * (first + i), c1 = c0 + 1 < luma_width - 1 ? c0 + 1 : luma_width - 1;
        out[i] = (uint8_t)((a0[c0] + a0[c1] + a1[c0] + a1[c1] + 2) >> 2);
    }
}
