import Foundation
import Revscoring
import Testing

/// Paths of the repository, its fixtures and the shared reference data next to it.
enum Paths {
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Fixtures")
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let sharedModels = shared.appendingPathComponent("models")

    /// True when `../shared` (models, goldens) is present; parity tests skip otherwise.
    static var sharedAvailable: Bool {
        FileManager.default.fileExists(atPath: sharedModels.appendingPathComponent("expected-scores.jsonl").path)
            && FileManager.default.fileExists(atPath: shared.appendingPathComponent("goldens/enwiki-goodfaith-features.jsonl").path)
    }

    static let sharedSkipMessage: Comment = "../shared (models, expected scores, goldens) is absent: parity with revscoring is not checked"
}

/// Reads a JSON-lines file with the project's own parser.
func readJSONLines(_ url: URL) throws -> [JSONValue] {
    let data = try Data(contentsOf: url)
    return try data.split(separator: 0x0A).filter { !$0.isEmpty }.map { try JSONValue.parse($0) }
}

/// The probability map of an expected-scores line, keyed by label text.
func expectedProbabilities(_ line: JSONValue) -> [String: Double] {
    guard case let .object(members)? = line["probability"] else { return [:] }
    var out: [String: Double] = [:]
    for m in members {
        if case let .double(d) = m.value { out[m.key] = d }
        if case let .int(i) = m.value { out[m.key] = Double(i) }
    }
    return out
}

/// How far a score is from revscoring's, and whether the prediction agrees.
struct Comparison {
    var rows = 0
    var predictionMismatches: [String] = []
    var maxDelta = 0.0
    var exactRows = 0

    mutating func add(_ score: Score, expected line: JSONValue, name: String) {
        rows += 1
        let expected = expectedProbabilities(line)
        var exact = expected.count == score.probability.count
        for (label, p) in score.probability {
            guard let q = expected[label.description] else {
                maxDelta = .infinity
                exact = false
                continue
            }
            maxDelta = max(maxDelta, abs(p - q))
            if p != q { exact = false }
        }
        if exact { exactRows += 1 }
        if score.prediction.json != line["prediction"] {
            predictionMismatches.append("\(name): predicted \(score.prediction), revscoring \(line["prediction"].map { $0.serialized() } ?? "?")")
        }
    }
}
