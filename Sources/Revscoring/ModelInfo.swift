/// What a revscoring model declares about itself — what `model.info` shows.
public struct ModelInfo: Sendable {
    /// revscoring's model type, e.g. `GradientBoosting`.
    public var type: String
    /// The full revscoring class, e.g. `revscoring.scoring.models.gradient_boosting.GradientBoosting`.
    public var revscoringClass: String
    /// The model's `version` (set by whoever trained it).
    public var version: String?
    /// When the model was trained, in seconds since 1970 (`trained`).
    public var trained: Double?
    /// revscoring's `params`: its own options plus the estimator's hyper-parameters.
    public var params: JSONValue
    /// The training environment (`info['environment']`), when recorded.
    public var environment: JSONValue
    /// revscoring's label list (`labels`), in revscoring's order.
    public var labels: [Label]
    /// Test statistics as recorded in the file (`info['statistics']`, or older `test_stats`).
    public var statistics: JSONValue
    /// `info['score_schema']`, when recorded.
    public var scoreSchema: JSONValue
    /// Names of the features, in the order the model takes them.
    public var featureNames: [String]
    /// The scikit-learn estimator class, e.g. `sklearn.ensemble._gb.GradientBoostingClassifier`.
    public var estimatorClass: String
    /// The scikit-learn version that pickled the estimator (`_sklearn_version`), when recorded.
    public var sklearnVersion: String?

    /// As JSON, with revscoring's `info` keys first.
    public var json: JSONValue {
        .object([
            .init("type", .string(type)),
            .init("version", version.map(JSONValue.string) ?? .null),
            .init("params", params),
            .init("environment", environment),
            .init("statistics", statistics),
            .init("score_schema", scoreSchema),
            .init("revscoring_class", .string(revscoringClass)),
            .init("estimator_class", .string(estimatorClass)),
            .init("sklearn_version", sklearnVersion.map(JSONValue.string) ?? .null),
            .init("trained", trained.map(JSONValue.double) ?? .null),
            .init("labels", .array(labels.map(\.json))),
            .init("features", .array(featureNames.map(JSONValue.string))),
        ])
    }
}
