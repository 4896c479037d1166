/// A model with the features it takes: revision root data in, ``Score`` out.
///
/// This is what Lift Wing's revscoring server holds per model: the model file, its feature
/// list (extracted as revscoring extracts it), and the list trimmed of modifiers for
/// `extended_output`. Immutable and `Sendable`.
public struct Scorer: Sendable {
    /// The model's name as Lift Wing and ORES name it (`goodfaith`, `damaging`).
    public let name: String
    /// The model.
    public let model: Model
    /// The model's features, in its order.
    public let features: FeatureList
    /// The features trimmed of modifiers (`revscoring.features.trim`): `extended_output`.
    public let trimmedFeatures: FeatureList

    /// Ties `model` to the features its file names.
    ///
    /// - Throws: ``FeatureListError`` when the model names a feature this port lacks.
    public init(name: String, model: Model, registry: FeatureRegistry = .standard) throws(FeatureListError) {
        self.name = name
        self.model = model
        self.features = try FeatureList(name: model.info.type, featureNames: model.featureNames, registry: registry)
        self.trimmedFeatures = try features.trimmed(registry: registry)
    }

    /// Extracts and scores one revision. Pass the same `context` to several scorers to
    /// extract each datasource once (goodfaith and damaging share all of theirs).
    ///
    /// - Parameter extendedOutput: also return the trimmed feature values, by name.
    public func score(_ context: RevisionContext, extendedOutput: Bool = false) throws(ScoringError) -> ScoreResult {
        let values: [FeatureValue]
        do { values = try features.values(in: context) } catch { throw .feature(error) }
        let score: Score
        do { score = try model.score(values) } catch { throw .estimator(error) }
        guard extendedOutput else { return ScoreResult(score: score, features: nil) }
        do { return ScoreResult(score: score, features: try trimmedValues(in: context)) } catch { throw .feature(error) }
    }

    /// The trimmed features' values by name (`feature.<name>`, in trimmed-list order): what
    /// Lift Wing's `extended_output` shows.
    public func trimmedValues(in context: RevisionContext) throws(FeatureError) -> [(name: String, value: FeatureValue)] {
        let values = try trimmedFeatures.values(in: context)
        return zip(trimmedFeatures.features, values).map { ("feature." + $0.name, $1) }
    }
}

/// A score, with the trimmed feature values when they were asked for.
public struct ScoreResult: Sendable {
    /// The model's answer.
    public var score: Score
    /// `feature.<name>` → value, in trimmed-list order (Lift Wing's `extended_output`).
    public var features: [(name: String, value: FeatureValue)]?

    /// A result; `features` only for extended output.
    public init(score: Score, features: [(name: String, value: FeatureValue)]?) {
        self.score = score
        self.features = features
    }

    /// `{"score": {...}, "features": {...}}`: one model's entry in a Lift Wing response.
    public var json: JSONValue {
        var members: [JSONValue.Member] = [.init("score", score.json)]
        if let features { members.append(.init("features", .object(features.map { .init($0.name, $0.value.json) }))) }
        return .object(members)
    }
}

/// Why a revision could not be scored.
public enum ScoringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The revision's root data could not be had (deleted text, missing revision, …).
    case extraction(ExtractionError)
    /// A feature could not be computed.
    case feature(FeatureError)
    /// The estimator refused the feature values.
    case estimator(EstimatorError)

    /// The error's class, as ORES's error `type` shows it.
    public var type: String {
        switch self {
        case let .extraction(e): return e.revscoringType
        case .feature: return "FeatureError"
        case .estimator: return "EstimatorError"
        }
    }

    public var description: String {
        switch self {
        case let .extraction(e): return e.description
        case let .feature(e): return "FeatureError: \(e)"
        case let .estimator(e): return "EstimatorError: \(e)"
        }
    }

    /// ORES's error object: `{"type": ..., "message": ...}`.
    public var json: JSONValue {
        .object([.init("type", .string(type)), .init("message", .string(description))])
    }
}
