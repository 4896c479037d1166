"""Faithful copies of a binary scikit-learn GradientBoostingClassifier in other tree engines
(.venv-bench; used by bench/peers_trees.py).

scikit-learn scores `raw = init + Σ learning_rate · leaf` in float64 over float32-cast inputs,
going left when `x <= threshold` (float64 threshold), then `p = 1 / (1 + exp(-raw))`. Each
engine gets the same trees with its own split rule honoured and the initial raw score added
to the first tree's leaves (the first addition scikit-learn makes), so that the only
differences left are each engine's own arithmetic (float32 in XGBoost). Every converter
returns `proba(M) -> p(True)` for float64 rows already scaled.
"""
import json

import numpy as np


def binary_trees(est):
    """(init raw score, learning rate, the stages' trees) of a two-class model."""
    if est.estimators_.shape[1] != 1:
        raise ValueError("only two-class gradient boosting is converted")
    init = float(est._raw_predict_init(np.zeros((1, est.n_features_in_)))[0, 0])
    return init, float(est.learning_rate), [stage[0].tree_ for stage in est.estimators_]


def leaf_value(tree, i, k, init, lr):
    return lr * float(tree.value[i].ravel()[0]) + (init if k == 0 else 0.0)


def float32_threshold(t):
    """The largest float32 not above `t`: for float32 x, x <= t exactly when x <= this."""
    t32 = np.float32(t)
    return np.nextafter(t32, np.float32(-np.inf)) if float(t32) > t else t32


def float32_inputs(M):
    """The inputs scikit-learn compares: cast to float32 (then widened for float64 engines)."""
    return M.astype(np.float32).astype(np.float64)


def daal4py_model(est):
    import daal4py as d4p
    d4p.daalinit(1)  # oneDAL threads with TBB, which OMP_NUM_THREADS does not limit: one thread, as every peer
    init, lr, trees = binary_trees(est)
    builder = d4p.gbt_clf_model_builder(n_features=est.n_features_in_, n_iterations=len(trees), n_classes=2)
    for k, tree in enumerate(trees):
        tree_id = builder.create_tree(n_nodes=tree.node_count, class_label=0)
        stack = [(0, None, None)]
        while stack:
            i, parent, position = stack.pop()
            where = {} if parent is None else {"parent_id": parent, "position": position}
            if tree.children_left[i] == -1:
                builder.add_leaf(tree_id=tree_id, response=leaf_value(tree, i, k, init, lr), cover=1.0, **where)
            else:
                # oneDAL goes left when x <= value, as scikit-learn does, with float32 values.
                node = builder.add_split(tree_id=tree_id, feature_index=int(tree.feature[i]),
                                         feature_value=float(float32_threshold(tree.threshold[i])), cover=1.0,
                                         default_left=1, **where)
                stack.append((tree.children_right[i], node, 1))
                stack.append((tree.children_left[i], node, 0))
    model = builder.model(base_score=0.0)
    # A prediction object per call, as daal4py is used: one keeps the size of its last result.
    return lambda M: d4p.gbt_classification_prediction(
        nClasses=2, resultsToEvaluate="computeClassProbabilities", fptype="double"
    ).compute(float32_inputs(M), model).probabilities[:, 1]


def lightgbm_model(est):
    import lightgbm as lgb
    init, lr, trees = binary_trees(est)
    nf = est.n_features_in_
    blocks = []
    for k, tree in enumerate(trees):
        # LightGBM numbers internal nodes 0.. and leaves ~0, ~1, ...; goes left when x <= threshold.
        internal, leaves = {}, {}
        order = [0]
        for i in order:
            if tree.children_left[i] == -1:
                leaves[i] = len(leaves)
            else:
                internal[i] = len(internal)
                order += [tree.children_left[i], tree.children_right[i]]
        ref = lambda c: internal[c] if c in internal else ~leaves[c]  # noqa: E731
        nodes = sorted(internal, key=internal.get)
        leaf_nodes = sorted(leaves, key=leaves.get)
        if not nodes:  # a single leaf
            body = ["num_leaves=1", "num_cat=0", "leaf_value=%r" % leaf_value(tree, 0, k, init, lr)]
        else:
            body = [
                "num_leaves=%d" % len(leaves), "num_cat=0",
                "split_feature=" + " ".join(str(int(tree.feature[i])) for i in nodes),
                "split_gain=" + " ".join("0" for _ in nodes),
                "threshold=" + " ".join(repr(float(tree.threshold[i])) for i in nodes),
                "decision_type=" + " ".join("0" for _ in nodes),
                "left_child=" + " ".join(str(ref(tree.children_left[i])) for i in nodes),
                "right_child=" + " ".join(str(ref(tree.children_right[i])) for i in nodes),
                "leaf_value=" + " ".join(repr(leaf_value(tree, i, k, init, lr)) for i in leaf_nodes),
                "leaf_weight=" + " ".join("1" for _ in leaf_nodes),
                "leaf_count=" + " ".join("1" for _ in leaf_nodes),
                "internal_value=" + " ".join("0" for _ in nodes),
                "internal_weight=" + " ".join("1" for _ in nodes),
                "internal_count=" + " ".join("1" for _ in nodes),
            ]
        blocks.append("Tree=%d\n" % k + "\n".join(body + ["is_linear=0", "shrinkage=1"]) + "\n\n")
    header = "\n".join([
        "tree", "version=v4", "num_class=1", "num_tree_per_iteration=1", "label_index=0",
        "max_feature_idx=%d" % (nf - 1), "objective=binary sigmoid:1",
        "feature_names=" + " ".join("f%d" % i for i in range(nf)),
        "feature_infos=" + " ".join("none" for _ in range(nf)),
        "tree_sizes=" + " ".join(str(len(b)) for b in blocks),
    ]) + "\n\n"
    booster = lgb.Booster(model_str=header + "".join(blocks) + "end of trees\n")
    return lambda M: booster.predict(float32_inputs(M), num_threads=1)


def xgboost_model(est):
    import xgboost as xgb
    init, lr, trees = binary_trees(est)
    nf = est.n_features_in_
    out = []
    for k, tree in enumerate(trees):
        # XGBoost takes a right child to be its left sibling + 1: number nodes breadth-first,
        # children in pairs (scikit-learn numbers them depth-first).
        order, new_id = [0], {0: 0}
        for i in order:
            if tree.children_left[i] != -1:
                for child in (tree.children_left[i], tree.children_right[i]):
                    new_id[child] = len(order)
                    order.append(child)
        n = len(order)
        left, right, parents = [-1] * n, [-1] * n, [2147483647] * n
        conditions, features = [], []
        for j, i in enumerate(order):
            if tree.children_left[i] == -1:
                conditions.append(leaf_value(tree, i, k, init, lr))
                features.append(0)
            else:
                left[j], right[j] = new_id[tree.children_left[i]], new_id[tree.children_right[i]]
                parents[left[j]] = parents[right[j]] = j
                # XGBoost goes left when float32 x < condition: for float32 x, x <= t64 exactly
                # when x < the float32 just above the largest float32 not above t64.
                conditions.append(float(np.nextafter(float32_threshold(tree.threshold[i]), np.float32(np.inf))))
                features.append(int(tree.feature[i]))
        out.append({
            "base_weights": [0.0] * n, "categories": [], "categories_nodes": [], "categories_segments": [],
            "categories_sizes": [], "default_left": [1 if c != -1 else 0 for c in left],
            "id": k, "left_children": left, "loss_changes": [0.0] * n,
            "parents": parents, "right_children": right, "split_conditions": conditions,
            "split_indices": features, "split_type": [0] * n, "sum_hessian": [1.0] * n,
            "tree_param": {"num_deleted": "0", "num_feature": str(nf), "num_nodes": str(n), "size_leaf_vector": "1"},
        })
    model = {
        "learner": {
            "attributes": {}, "feature_names": [], "feature_types": [],
            "gradient_booster": {
                "model": {"gbtree_model_param": {"num_parallel_tree": "1", "num_trees": str(len(out))},
                          "iteration_indptr": list(range(len(out) + 1)), "tree_info": [0] * len(out), "trees": out},
                "name": "gbtree"},
            "learner_model_param": {"base_score": "5E-1", "boost_from_average": "0", "num_class": "0",
                                    "num_feature": str(nf), "num_target": "1"},
            "objective": {"name": "binary:logistic", "reg_loss_param": {"scale_pos_weight": "1"}},
        },
        "version": [2, 1, 0],
    }
    booster = xgb.Booster(params={"nthread": 1})
    booster.load_model(bytearray(json.dumps(model).encode()))
    booster.set_param({"nthread": 1})
    return lambda M: booster.inplace_predict(M.astype(np.float32))
