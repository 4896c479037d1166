// The batch kernel of revscoring-swift's perfect-tree layout, in C because Swift cannot compile
// one function for AVX2 and choose it at run time.
//
// Each block of rows is first transposed (feature-major), so that a tree's top splits — the
// same three nodes for every row — compare eight rows at once with no gather: the top levels
// become vector compares and blends giving each row's position three levels down. The rest
// of each walk is the Swift kernel's scalar step (sign of t - x, eight interleaved lanes,
// three rows at a time). This takes three of a depth-7 walk's seven dependent steps off every
// row and tree. Each row still receives the trees' leaf values in tree order, added one by
// one as the Swift kernel adds them: sums are the same to the bit.

#include "CKernels.h"

enum { RS_LANES = 8, RS_TOP = 3 };

long rs_perfect_trees_block_rows(long row_count) {
    const long rounded = (row_count + RS_LANES - 1) / RS_LANES * RS_LANES;
    return rounded < 8 ? 8 : rounded > 512 ? 512 : rounded;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

#define RS_AVX2 __attribute__((target("avx2")))
#define RS_INLINE static inline __attribute__((always_inline, target("avx2")))

/// `value` in the lanes where `mask` is set, 0 elsewhere.
RS_INLINE __m256i rs_bit(__m256 mask, int value) {
    return _mm256_and_si256(_mm256_castps_si256(mask), _mm256_set1_epi32(value));
}

/// Every row's position `top` (1-3) levels down in lane `k`, eight rows at a time, into
/// `positions[r]`: the lane's top splits are hoisted into registers for the whole block.
RS_INLINE void rs_lane_starts(const float *th, const uint8_t *fe, int k, int top, const float *xt, long block,
                              long vectors, uint32_t *positions) {
    const int nodes = (1 << top) - 1;
    __m256 t[7];
    const float *column[7];
    for (int i = 0; i < nodes; i++) {
        t[i] = _mm256_set1_ps(th[i * RS_LANES + k]);
        column[i] = xt + (long)fe[i * RS_LANES + k] * block;
    }
    const __m256i base = _mm256_set1_epi32(nodes * RS_LANES + k);
#define RS_RIGHT(i) _mm256_cmp_ps(_mm256_loadu_ps(column[i] + v), t[i], _CMP_GT_OQ)
    for (long v = 0; v < vectors * 8; v += 8) {
        const __m256 b0 = RS_RIGHT(0);
        __m256i q;
        if (top == 1) {
            q = _mm256_add_epi32(base, rs_bit(b0, 8));
        } else if (top == 2) {
            const __m256 b1 = _mm256_blendv_ps(RS_RIGHT(1), RS_RIGHT(2), b0);
            q = _mm256_add_epi32(_mm256_add_epi32(base, rs_bit(b0, 16)), rs_bit(b1, 8));
        } else {
            const __m256 b1 = _mm256_blendv_ps(RS_RIGHT(1), RS_RIGHT(2), b0);
            const __m256 left = _mm256_blendv_ps(RS_RIGHT(3), RS_RIGHT(4), b1);
            const __m256 right = _mm256_blendv_ps(RS_RIGHT(5), RS_RIGHT(6), b1);
            const __m256 b2 = _mm256_blendv_ps(left, right, b0);
            q = _mm256_add_epi32(_mm256_add_epi32(base, rs_bit(b0, 32)), _mm256_add_epi32(rs_bit(b1, 16), rs_bit(b2, 8)));
        }
        _mm256_storeu_si256((__m256i *)(positions + v), q);
    }
#undef RS_RIGHT
}

/// Every row's position `top` levels down in each of the group's lanes, row by row:
/// `starts[r * 8 + k]`, so that a row's eight positions load as one vector. Computed lane by
/// lane into `lanes[k * block + r]`, then transposed eight by eight.
static RS_AVX2 __attribute__((noinline)) void rs_starts(const float *th, const uint8_t *fe, int top, const float *xt,
                                                        long block, long vectors, uint32_t *lanes, uint32_t *starts) {
    for (int k = 0; k < RS_LANES; k++) rs_lane_starts(th, fe, k, top, xt, block, vectors, lanes + k * block);
    for (long v = 0; v < vectors * 8; v += 8) {
        __m256i p[RS_LANES];
        for (int k = 0; k < RS_LANES; k++) p[k] = _mm256_loadu_si256((const __m256i *)(lanes + k * block + v));
        const __m256i a0 = _mm256_unpacklo_epi32(p[0], p[1]), a1 = _mm256_unpackhi_epi32(p[0], p[1]);
        const __m256i a2 = _mm256_unpacklo_epi32(p[2], p[3]), a3 = _mm256_unpackhi_epi32(p[2], p[3]);
        const __m256i a4 = _mm256_unpacklo_epi32(p[4], p[5]), a5 = _mm256_unpackhi_epi32(p[4], p[5]);
        const __m256i a6 = _mm256_unpacklo_epi32(p[6], p[7]), a7 = _mm256_unpackhi_epi32(p[6], p[7]);
        const __m256i c0 = _mm256_unpacklo_epi64(a0, a2), c1 = _mm256_unpackhi_epi64(a0, a2);
        const __m256i c2 = _mm256_unpacklo_epi64(a1, a3), c3 = _mm256_unpackhi_epi64(a1, a3);
        const __m256i c4 = _mm256_unpacklo_epi64(a4, a6), c5 = _mm256_unpackhi_epi64(a4, a6);
        const __m256i c6 = _mm256_unpacklo_epi64(a5, a7), c7 = _mm256_unpackhi_epi64(a5, a7);
        __m256i *out = (__m256i *)(starts + v * RS_LANES);
        _mm256_storeu_si256(out + 0, _mm256_permute2x128_si256(c0, c4, 0x20));
        _mm256_storeu_si256(out + 1, _mm256_permute2x128_si256(c1, c5, 0x20));
        _mm256_storeu_si256(out + 2, _mm256_permute2x128_si256(c2, c6, 0x20));
        _mm256_storeu_si256(out + 3, _mm256_permute2x128_si256(c3, c7, 0x20));
        _mm256_storeu_si256(out + 4, _mm256_permute2x128_si256(c0, c4, 0x31));
        _mm256_storeu_si256(out + 5, _mm256_permute2x128_si256(c1, c5, 0x31));
        _mm256_storeu_si256(out + 6, _mm256_permute2x128_si256(c2, c6, 0x31));
        _mm256_storeu_si256(out + 7, _mm256_permute2x128_si256(c3, c7, 0x31));
    }
}

/// One level down for a row's eight lanes at positions `p` (see PerfectTreeLayout.Group.step):
/// the lanes' thresholds and input values are loaded one by one into a vector, and the
/// arithmetic is done on all eight at once. Written out because the compiler's own
/// vectorization of the scalar step varied by ~30% with the code around it.
RS_INLINE __m256i rs_step8(const float *th, const uint8_t *fe, __m256i p, const float *x) {
    const __m128i lo = _mm256_castsi256_si128(p), hi = _mm256_extracti128_si256(p, 1);
    const uint32_t p0 = (uint32_t)_mm_cvtsi128_si32(lo), p1 = (uint32_t)_mm_extract_epi32(lo, 1),
                   p2 = (uint32_t)_mm_extract_epi32(lo, 2), p3 = (uint32_t)_mm_extract_epi32(lo, 3),
                   p4 = (uint32_t)_mm_cvtsi128_si32(hi), p5 = (uint32_t)_mm_extract_epi32(hi, 1),
                   p6 = (uint32_t)_mm_extract_epi32(hi, 2), p7 = (uint32_t)_mm_extract_epi32(hi, 3);
    const __m256 t = _mm256_setr_ps(th[p0], th[p1], th[p2], th[p3], th[p4], th[p5], th[p6], th[p7]);
    const __m256 v = _mm256_setr_ps(x[fe[p0]], x[fe[p1]], x[fe[p2]], x[fe[p3]], x[fe[p4]], x[fe[p5]], x[fe[p6]],
                                    x[fe[p7]]);
    // 8 where t - x is negative (x > t), else 0.
    const __m256i right = _mm256_and_si256(_mm256_srli_epi32(_mm256_castps_si256(_mm256_sub_ps(t, v)), 28),
                                           _mm256_set1_epi32(RS_LANES));
    const __m256i next = _mm256_setr_epi32(8, 7, 6, 5, 4, 3, 2, 1);  // 8 - k
    return _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(p, p), next), right);
}

/// Adds the leaf values at final positions `p` into output row `o`, lane by lane (tree order).
RS_INLINE void rs_add(const int scalar, const double *leaves, __m256i p, int count, const int32_t *offsets, double *o) {
    uint32_t reached[RS_LANES];
    _mm256_storeu_si256((__m256i *)reached, p);
    if (scalar) {
        double s = o[0];
        s += leaves[reached[0]]; s += leaves[reached[1]]; s += leaves[reached[2]]; s += leaves[reached[3]];
        s += leaves[reached[4]]; s += leaves[reached[5]]; s += leaves[reached[6]]; s += leaves[reached[7]];
        o[0] = s;
    } else {
        for (int k = 0; k < count; k++) o[offsets[k]] += leaves[reached[k]];
    }
}

/// Walks one group's trees the rest of the way down for the block's `rows` and adds their leaves.
/// `scalar` (eight trees adding into a one-value output row) is a constant where it is inlined.
RS_INLINE void rs_finish(const int scalar, const float *th, const uint8_t *fe, const double *leaves, int count,
                         const int32_t *offsets, long output_width, long feature_count, int steps,
                         const float *rows, long row_count, const uint32_t *starts, double *output) {
    long r = 0;
    for (; r + 2 < row_count; r += 3) {
        const float *x = rows + r * feature_count, *y = x + feature_count, *z = y + feature_count;
        __m256i l = _mm256_loadu_si256((const __m256i *)(starts + r * RS_LANES));
        __m256i m = _mm256_loadu_si256((const __m256i *)(starts + (r + 1) * RS_LANES));
        __m256i n = _mm256_loadu_si256((const __m256i *)(starts + (r + 2) * RS_LANES));
        for (int s = 0; s < steps; s++) {
            l = rs_step8(th, fe, l, x);
            m = rs_step8(th, fe, m, y);
            n = rs_step8(th, fe, n, z);
        }
        rs_add(scalar, leaves, l, count, offsets, output + r * output_width);
        rs_add(scalar, leaves, m, count, offsets, output + (r + 1) * output_width);
        rs_add(scalar, leaves, n, count, offsets, output + (r + 2) * output_width);
    }
    for (; r < row_count; r++) {
        __m256i l = _mm256_loadu_si256((const __m256i *)(starts + r * RS_LANES));
        for (int s = 0; s < steps; s++) l = rs_step8(th, fe, l, rows + r * feature_count);
        rs_add(scalar, leaves, l, count, offsets, output + r * output_width);
    }
}

/// The two specializations, each its own function so that neither crowds the other's registers.
static RS_AVX2 __attribute__((noinline)) void rs_finish_scalar(
    const float *th, const uint8_t *fe, const double *leaves, int steps, const float *rows, long row_count,
    long feature_count, const uint32_t *starts, double *output) {
    rs_finish(1, th, fe, leaves, RS_LANES, 0, 1, feature_count, steps, rows, row_count, starts, output);
}

static RS_AVX2 __attribute__((noinline)) void rs_finish_general(
    const float *th, const uint8_t *fe, const double *leaves, int count, const int32_t *offsets, long output_width,
    long feature_count, int steps, const float *rows, long row_count, const uint32_t *starts, double *output) {
    rs_finish(0, th, fe, leaves, count, offsets, output_width, feature_count, steps, rows, row_count, starts, output);
}

static RS_AVX2 void rs_accumulate_avx2(const rs_perfect_trees *t, const float *rows, long row_count, double *output,
                                       float *xt, uint32_t *starts) {
    const long block = rs_perfect_trees_block_rows(row_count), features = t->feature_count;
    const int depth = (int)t->depth, top = depth < RS_TOP ? depth : RS_TOP;
    const long internal = ((1L << depth) - 1) * RS_LANES, leaf_block = (1L << depth) * RS_LANES;
    for (long first = 0; first < row_count; first += block) {
        const long n = row_count - first < block ? row_count - first : block;
        const long vectors = (n + 7) / 8;
        const float *x = rows + first * features;
        for (long f = 0; f < features; f++) {
            float *column = xt + f * block;
            for (long r = 0; r < n; r++) column[r] = x[r * features + f];
            for (long r = n; r < vectors * 8; r++) column[r] = 0;
        }
        for (long g = 0; g < t->group_count; g++) {
            const float *th = t->thresholds + g * internal;
            const uint8_t *fe = t->features + g * internal;
            const long remaining = t->tree_count - g * RS_LANES;
            const int count = remaining < RS_LANES ? (int)remaining : RS_LANES;
            rs_starts(th, fe, top, xt, block, vectors, starts + RS_LANES * block, starts);
            const double *leaves = t->leaves + g * leaf_block - internal;
            if (count == RS_LANES && t->output_width == 1)
                rs_finish_scalar(th, fe, leaves, depth - top, x, n, features, starts, output + first);
            else
                rs_finish_general(th, fe, leaves, count, t->output_offsets + g * RS_LANES, t->output_width, features,
                                  depth - top, x, n, starts, output + first * t->output_width);
        }
    }
}

int rs_perfect_trees_kernel_available(void) { return __builtin_cpu_supports("avx2") ? 1 : 0; }

int rs_perfect_trees_accumulate(const rs_perfect_trees *trees, const float *rows, long row_count, double *output,
                                float *transposed_scratch, uint32_t *start_scratch) {
    if (trees->depth < 1 || trees->depth > 12 || !rs_perfect_trees_kernel_available()) return 0;
    rs_accumulate_avx2(trees, rows, row_count, output, transposed_scratch, start_scratch);
    return 1;
}

#else

int rs_perfect_trees_kernel_available(void) { return 0; }

int rs_perfect_trees_accumulate(const rs_perfect_trees *trees, const float *rows, long row_count, double *output,
                                float *transposed_scratch, uint32_t *start_scratch) {
    (void)trees; (void)rows; (void)row_count; (void)output; (void)transposed_scratch; (void)start_scratch;
    return 0;
}

#endif
