import Foundation
import Testing
import Revscoring

/// editquality's 2015–2018 model files (old scikit-learn and revscoring layouts) against the
/// reference scores of `../shared/models/legacy` (checked there against scikit-learn 0.19.2).
@Suite("Legacy editquality models")
struct LegacyModelTests {
    static let legacy = Paths.sharedModels.appendingPathComponent("legacy")
    static let files = [
        "dewiki.goodfaith.gradient_boosting.2018-12-16.model",
        "dewiki.damaging.gradient_boosting.2018-12-16.model",
        "wikidatawiki.goodfaith.gradient_boosting.2017-07-20.model",
        "arwiki.reverted.rf.2016-03-10.model",
        "enwiki.goodfaith.linear_svc.2015-11-10.model",
        "enwiki.damaging.linear_svc.2015-11-09.model",
    ]

    @Test("legacy models score as the reference does",
          .enabled(if: FileManager.default.fileExists(atPath: legacy.path), Paths.sharedSkipMessage),
          arguments: files)
    func legacyModel(_ file: String) throws {
        let model = try Model(contentsOf: Self.legacy.appendingPathComponent(file))
        let lines = try readJSONLines(Self.legacy.appendingPathComponent(file + ".expected.jsonl"))
        #expect(lines.count == 200)
        // Trees and forests: 1e-9 (the bound; measured bit-identical). SVC: libsvm's
        // summation order is reproduced, so the same bound holds there too.
        let tolerance = 1e-9
        var comparison = Comparison()
        var rows: [[Double]] = []
        for (i, line) in lines.enumerated() {
            let values = try line.featureValues()
            comparison.add(try model.score(values), expected: line, name: "row \(i)")
            rows.append(values)
        }
        #expect(comparison.predictionMismatches.isEmpty, "\(comparison.predictionMismatches)")
        #expect(comparison.maxDelta <= tolerance, "max |Δp| = \(comparison.maxDelta)")
        print("\(file): \(comparison.rows) rows, \(comparison.exactRows) bit-identical, max |Δp| = \(comparison.maxDelta)")
        let batch = try model.score(batch: Matrix(rows: rows, columns: model.featureNames.count))
        var batchComparison = Comparison()
        for (score, line) in zip(batch, lines) { batchComparison.add(score, expected: line, name: "batch") }
        #expect(batchComparison.predictionMismatches.isEmpty)
        #expect(batchComparison.maxDelta <= tolerance)
    }
}
