/// A model's answer for one revision, shaped as revscoring's `model.score()`:
/// `{"prediction": …, "probability": {label: p, …}}`.
public struct Score: Sendable, Equatable {
    /// The predicted label (the estimator's `predict`).
    public var prediction: Label
    /// Probability of each label, in the estimator's `classes_` order.
    public var probability: [(label: Label, value: Double)]

    /// Creates a score.
    public init(prediction: Label, probability: [(label: Label, value: Double)]) {
        self.prediction = prediction
        self.probability = probability
    }

    /// The probability of `label`, if the model knows it.
    public subscript(label: Label) -> Double? {
        probability.first { $0.label == label }?.value
    }

    public static func == (a: Score, b: Score) -> Bool {
        a.prediction == b.prediction && a.probability.map(\.label) == b.probability.map(\.label)
            && a.probability.map(\.value) == b.probability.map(\.value)
    }

    /// `{"prediction": …, "probability": {…}}`.
    public var json: JSONValue {
        .object([
            .init("prediction", prediction.json),
            .init("probability", .object(probability.map { .init($0.label.description, .double($0.value)) })),
        ])
    }
}
