import Foundation
import Testing
@testable import Revscoring

/// Every implemented feature of every corpus revision against the reference goldens.
@Suite("Feature parity with revscoring")
struct FeatureParityTests {
    static let corpus = Paths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl")
    static let goldens = Paths.shared.appendingPathComponent("goldens/enwiki-goodfaith-features.jsonl")
    static var available: Bool {
        FileManager.default.fileExists(atPath: corpus.path) && FileManager.default.fileExists(atPath: goldens.path)
    }

    /// Exact equality with revscoring's value and type (bools, ints, bit-identical floats).
    static func same(_ v: FeatureValue, _ g: JSONValue) -> Bool {
        switch (v, g) {
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .double(b)): return a.bitPattern == b.bitPattern
        case let (.float(a), .int(b)): return a == Double(b) && a.rounded() == a  // e.g. 1e16 written as an int
        default: return false
        }
    }

    @Test("implemented features equal the goldens for every corpus revision",
          .enabled(if: available, "../shared corpus or goldens are absent: feature parity is not checked"))
    func parity() throws {
        try Self.check(documents: Self.corpus, goldens: Self.goldens)
    }

    /// Small revisions of our own (Fixtures/make_edge_revisions.py, reference values from
    /// revscoring): canonically equivalent strings, final sigma, astral code points, word-list
    /// matches at word and text edges. Runs without ../shared.
    @Test("edge-case revisions equal revscoring's values", arguments: ["sample", "edge"])
    func fixtures(_ name: String) throws {
        try Self.check(documents: Paths.fixtures.appendingPathComponent("\(name)-revisions.jsonl"),
                       goldens: Paths.fixtures.appendingPathComponent("\(name)-features.jsonl"))
    }

    static func check(documents: URL, goldens goldensFile: URL) throws {
        var goldens: [Int: JSONValue] = [:]
        for line in try readJSONLines(goldensFile) {
            if case let .int(id)? = line["rev_id"] { goldens[id] = line }
        }
        let names = FeatureLists.enwikiGoodfaith
        let implemented = names.enumerated().compactMap { i, n in FeatureRegistry.standard.feature(named: n).map { (i, $0) } }
        var mismatches: [String: Int] = [:]
        var examples: [String: String] = [:]
        var revisions = 0, values = 0, equal = 0, failures = 0
        for doc in try readJSONLines(documents) {
            guard case let .int(id)? = doc["rev_id"], let golden = goldens[id] else { continue }
            let document = try RevisionDocument(json: doc)
            guard case let .array(expected)? = golden["features"] else {
                // The reference failed too (e.g. TextDeleted): so must we.
                #expect(throws: ExtractionError.self) { _ = try document.revisionData() }
                failures += 1
                continue
            }
            let context = RevisionContext(try document.revisionData())
            revisions += 1
            for (i, feature) in implemented {
                let v = try feature.value(in: context)
                values += 1
                if Self.same(v, expected[i]) {
                    equal += 1
                } else {
                    mismatches[feature.name, default: 0] += 1
                    if examples[feature.name] == nil { examples[feature.name] = "rev \(id): got \(v), expected \(expected[i].serialized())" }
                }
            }
        }
        let missing = names.filter { FeatureRegistry.standard.feature(named: $0) == nil }
        print("feature parity (\(documents.lastPathComponent)): \(revisions) revisions, \(implemented.count)/\(names.count) features implemented, \(equal)/\(values) values equal")
        if !missing.isEmpty { print("not yet implemented: \(missing.joined(separator: ", "))") }
        for (name, n) in mismatches.sorted(by: { $0.key < $1.key }) {
            print("  \(name): \(n) mismatches, e.g. \(examples[name] ?? "")")
        }
        #expect(revisions > 0)
        #expect(revisions + failures == goldens.count)
        #expect(mismatches.isEmpty, "\(mismatches.count) features differ from revscoring")
    }
}
