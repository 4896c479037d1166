/// Why a model file could not be loaded.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The bytes are not a valid (or allowed) pickle.
    case pickle(PickleError)
    /// The pickle is valid, but its root is not a revscoring model.
    case notAModel(String)
    /// A revscoring model wrapping an estimator this engine does not implement.
    case unsupportedEstimator(String)
    /// A part of the model is missing or has the wrong type.
    case missingAttribute(String, of: String)
    /// A numpy array or dtype inside the model is malformed.
    case malformedArray(String)
    /// The estimator's parameters are inconsistent.
    case invalidEstimator(EstimatorError)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read model file \(path): \(reason)"
        case let .pickle(e): return "not a valid model file: \(e)"
        case let .notAModel(what): return "not a revscoring model: the file holds \(what)"
        case let .unsupportedEstimator(name): return "unsupported estimator: \(name)"
        case let .missingAttribute(name, of: owner): return "model file is missing \(owner).\(name) (or it has an unexpected type)"
        case let .malformedArray(message): return "malformed array in model file: \(message)"
        case let .invalidEstimator(e): return "model file holds an invalid estimator: \(e)"
        }
    }
}
