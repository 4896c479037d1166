// The single-row kernel of revscoring-swift's perfect-tree layout: one row through every tree,
// eleven trees at a time, on x86-64.
//
// A single row's walk is a chain of dependent loads per tree, so what counts is how many
// chains are in flight and how few instructions each step takes. Here each tree's nodes are
// stored on their own, in heap order (node q's children are 2q and 2q + 1, the root is 1), and
// every float is replaced by an order-preserving 32-bit key, so that one step is four
// instructions:
//
//     movzbl  features(tree, q), t      the split's feature
//     movl    (keys_of_x, t, 4), t      the input's key
//     cmpl    t, keys(tree, q)          carry = key(threshold) < key(x), i.e. x > threshold
//     adcq    q, q                      q = 2q + carry
//
// Trees sit at a fixed stride (5 * 2^depth bytes), so with the depth a compile-time constant
// all eleven trees of a group are addressed from one base register with constant
// displacements: eleven positions, the base, the row and one temporary fill the fourteen
// registers left beside the stack and frame pointers (twelve chains spilled in the loop).
// `score-cli bench` single-row p50 with and without this kernel, six alternating pairs on the
// 700-tree shared model (Zen 3): 8.2-8.5 us against 9.5-9.8 us.
//
// Leaves are read from the interleaved layout's own leaf array; the sum is made in tree order,
// one addition at a time, as the Swift kernel makes it: results are the same to the bit.

#include "CKernels.h"

#include <string.h>

/// A key whose unsigned order is the order of finite floats and infinities, -0 below +0
/// (thresholds never hold -0, so x = -0 compares as 0 does: not above a threshold of 0).
static inline uint32_t rs_key(float f) {
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return (b >> 31) ? ~b : (b | 0x80000000u);
}

void rs_heap_trees_key(float value, uint32_t *key) { *key = rs_key(value); }

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))

enum { RS_CHAINS = 11, RS_LANES = 8 };

int rs_heap_trees_available(void) { return 1; }

/// The leaf value tree `t` reaches at heap position `q` (2^depth ... 2^(depth+1) - 1), read
/// from the interleaved layout: group t / 8, lane t % 8.
#define RS_LEAF(t, q, D) leaves[((((long)(t) >> 3) << (D)) + (long)((q) - (1u << (D)))) * RS_LANES + ((t) & 7)]

#define RS_STEP(i, D)                                                                                  \
    __asm__("movzbl %c[fo](%[b],%[q],1), %k[t]\n\t"                                                    \
            "movl (%[x],%[t],4), %k[t]\n\t"                                                            \
            "cmpl %k[t], %c[ko](%[b],%[q],4)\n\t"                                                      \
            "adcq %[q], %[q]"                                                                          \
            : [q] "+r"(q##i), [t] "=&r"(tmp)                                                           \
            : [b] "r"(base), [x] "r"(xk), [fo] "i"((i) * (5L << (D)) + (4L << (D))),                   \
              [ko] "i"((i) * (5L << (D)))                                                              \
            : "cc", "memory")

#define RS_DEFINE_WALK(D)                                                                              \
    static double rs_heap_walk_##D(const uint8_t *nodes, const double *leaves, long tree_count,      \
                                   const uint32_t *xk, double sum) {                                   \
        const long stride = 5L << (D);                                                                 \
        long t = 0;                                                                                    \
        for (; t + RS_CHAINS <= tree_count; t += RS_CHAINS) {                                          \
            const uint8_t *base = nodes + t * stride;                                                  \
            uint64_t tmp;                                                                              \
            uint64_t q0 = 1, q1 = 1, q2 = 1, q3 = 1, q4 = 1, q5 = 1, q6 = 1, q7 = 1, q8 = 1, q9 = 1,   \
                     q10 = 1;                                                                          \
            _Pragma("clang loop unroll(full)")                                                         \
            for (int d = 0; d < (D); d++) {                                                            \
                RS_STEP(0, D); RS_STEP(1, D); RS_STEP(2, D); RS_STEP(3, D); RS_STEP(4, D);             \
                RS_STEP(5, D); RS_STEP(6, D); RS_STEP(7, D); RS_STEP(8, D); RS_STEP(9, D);             \
                RS_STEP(10, D);                                                                        \
            }                                                                                          \
            sum += RS_LEAF(t, q0, D); sum += RS_LEAF(t + 1, q1, D); sum += RS_LEAF(t + 2, q2, D);      \
            sum += RS_LEAF(t + 3, q3, D); sum += RS_LEAF(t + 4, q4, D); sum += RS_LEAF(t + 5, q5, D);  \
            sum += RS_LEAF(t + 6, q6, D); sum += RS_LEAF(t + 7, q7, D); sum += RS_LEAF(t + 8, q8, D);  \
            sum += RS_LEAF(t + 9, q9, D); sum += RS_LEAF(t + 10, q10, D);                              \
        }                                                                                              \
        for (; t < tree_count; t++) {                                                                  \
            const uint8_t *tree = nodes + t * stride;                                                  \
            uint32_t q = 1;                                                                            \
            for (int d = 0; d < (D); d++) {                                                            \
                uint32_t key;                                                                          \
                memcpy(&key, tree + 4 * (long)q, sizeof key);                                          \
                q = 2 * q + (key < xk[tree[(4L << (D)) + q]]);                                         \
            }                                                                                          \
            sum += RS_LEAF(t, q, D);                                                                   \
        }                                                                                              \
        return sum;                                                                                    \
    }

RS_DEFINE_WALK(1)
RS_DEFINE_WALK(2)
RS_DEFINE_WALK(3)
RS_DEFINE_WALK(4)
RS_DEFINE_WALK(5)
RS_DEFINE_WALK(6)
RS_DEFINE_WALK(7)
RS_DEFINE_WALK(8)
RS_DEFINE_WALK(9)
RS_DEFINE_WALK(10)
RS_DEFINE_WALK(11)
RS_DEFINE_WALK(12)

int rs_heap_trees_sum_row(const rs_heap_trees *trees, const float *row, double *sum) {
    if (trees->feature_count < 1 || trees->feature_count > 256 || trees->depth < 1 || trees->depth > 12) return 0;
    uint32_t xk[256];
    for (long f = 0; f < trees->feature_count; f++) xk[f] = rs_key(row[f]);
    typedef double (*walk)(const uint8_t *, const double *, long, const uint32_t *, double);
    static const walk walks[] = {
        rs_heap_walk_1, rs_heap_walk_2, rs_heap_walk_3, rs_heap_walk_4,  rs_heap_walk_5,  rs_heap_walk_6,
        rs_heap_walk_7, rs_heap_walk_8, rs_heap_walk_9, rs_heap_walk_10, rs_heap_walk_11, rs_heap_walk_12,
    };
    *sum = walks[trees->depth - 1](trees->nodes, trees->leaves, trees->tree_count, xk, *sum);
    return 1;
}

#else

int rs_heap_trees_available(void) { return 0; }
int rs_heap_trees_sum_row(const rs_heap_trees *trees, const float *row, double *sum) {
    (void)trees; (void)row; (void)sum;
    return 0;
}

#endif
