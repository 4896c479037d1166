#ifndef CKERNELS_H
#define CKERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A `PerfectTreeLayout` as the batch kernel reads it: trees padded to one depth, eight per
/// group interleaved node by node (node `j` of lane `k` at `j * 8 + k`), one leaf value each.
typedef struct {
    /// Per group, `(2^depth - 1) * 8` float32 thresholds (+inf under padded leaves, no -0).
    const float *thresholds;
    /// Per group, the feature each threshold tests (one byte: at most 256 features).
    const uint8_t *features;
    /// Per group, `2^depth * 8` leaf values.
    const double *leaves;
    /// Per tree, the output column its leaf value is added into.
    const int32_t *output_offsets;
    long depth, group_count, tree_count, feature_count, output_width;
} rs_perfect_trees;

/// Rows per block for a batch of `row_count` rows (a multiple of 8, at most 512): the caller's
/// scratch holds `feature_count * rs_perfect_trees_block_rows(row_count)` floats and
/// `16 * rs_perfect_trees_block_rows(row_count)` positions. Sized to the batch so that a small
/// one (a server's few requests) needs a few kilobytes, not 160.
long rs_perfect_trees_block_rows(long row_count);

/// 1 when this CPU runs the kernel (x86-64 with AVX2), else 0.
int rs_perfect_trees_kernel_available(void);

/// Adds every tree's leaf value for `row_count` finite float32 rows (stride `feature_count`)
/// into `output` (stride `output_width`), each row receiving them in tree order, exactly as
/// the Swift kernel does. Returns 0, having done nothing, when this CPU lacks AVX2 or the
/// layout is outside what the kernel takes (depth 0 or over 12); the caller then walks the
/// trees itself.
int rs_perfect_trees_accumulate(const rs_perfect_trees *trees, const float *rows, long row_count,
                                double *output, float *transposed_scratch, uint32_t *start_scratch);

/// A `PerfectTreeLayout`'s trees as the single-row kernel reads them (heap_trees.c): tree `t`'s
/// nodes at `nodes + t * 5 * 2^depth`, heap-ordered (root 1, children of q at 2q and 2q + 1):
/// `2^depth` 32-bit keys (`rs_heap_trees_key` of the float32 threshold, slot 0 unused), then
/// `2^depth` one-byte feature indices. Leaf values are the interleaved layout's
/// (`rs_perfect_trees.leaves`); one value per leaf, added into a single sum.
typedef struct {
    const uint8_t *nodes;
    const double *leaves;
    long depth, tree_count, feature_count;
} rs_heap_trees;

/// 1 when this build runs the single-row kernel (x86-64), else 0.
int rs_heap_trees_available(void);

/// Adds every tree's leaf value for one finite float32 row into `*sum`, in tree order (the
/// Swift kernel's sums, to the bit). Returns 0, having done nothing, when the kernel does not
/// run here or the layout is outside what it takes (depth 1-12, 1-256 features).
int rs_heap_trees_sum_row(const rs_heap_trees *trees, const float *row, double *sum);

/// The order-preserving key of `value` the kernel compares (unsigned order = float order,
/// -0 below +0).
void rs_heap_trees_key(float value, uint32_t *key);

/// scikit-learn's `RobustScaler.transform` over `rows` rows of `columns` values:
/// `out = (in - center) / scale`, element by element in float64 (numpy's `X -= center_;
/// X /= scale_`), `center` or `scale` NULL meaning 0 or 1. `in` and `out` may be the same
/// memory. Returns 1 when every result is finite, else 0 (the caller finds which).
int rs_robust_scale(const double *in, double *out, long rows, long columns, const double *center,
                    const double *scale);

/// 1 when none of the `count` values is NaN or infinite, else 0.
int rs_all_finite(const double *values, long count);

#ifdef __cplusplus
}
#endif

#endif
