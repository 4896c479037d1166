import Foundation
import Testing
import Revscoring

/// Runs `score-cli` from the build products and returns its exit status, stdout and stderr.
func runCLI(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    let process = Process()
    process.executableURL = products.appendingPathComponent("score-cli")
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self), String(decoding: stderrData, as: UTF8.self))
}

enum CLIPaths {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Fixtures")
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static var sharedAvailable: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("models/expected-scores.jsonl").path)
    }
}

func lines(_ text: String) throws -> [JSONValue] {
    try text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
}

@Suite("score-cli")
struct ScoreCLITests {
    @Test("predict over the golden features gives revscoring's expected scores",
          .enabled(if: CLIPaths.sharedAvailable, "../shared is absent: CLI parity with revscoring is not checked"),
          arguments: ["enwiki.goodfaith.gradient_boosting.model", "enwiki.damaging.gradient_boosting.model",
                      "enwiki.goodfaith.logistic_regression.model", "enwiki.goodfaith.random_forest.model"])
    func predictParity(_ file: String) throws {
        let result = try runCLI(["predict", "--model-file", CLIPaths.shared.appendingPathComponent("models/\(file)").path,
                                 CLIPaths.shared.appendingPathComponent("goldens/enwiki-goodfaith-features.jsonl").path])
        #expect(result.status == 0, "\(result.stderr)")
        var expected: [JSONValue] = []
        for line in try lines(try String(contentsOf: CLIPaths.shared.appendingPathComponent("models/expected-scores.jsonl"), encoding: .utf8))
        where line["model"] == .string(file) { expected.append(line) }
        let got = try lines(result.stdout)
        #expect(got.count == expected.count)
        var maxDelta = 0.0
        for (g, e) in zip(got, expected) {
            #expect(g["rev_id"] == e["rev_id"])
            #expect(g["prediction"] == e["prediction"])
            for label in ["false", "true"] {
                guard case let .double(p)? = g["probability"]?[label], case let .double(q)? = e["probability"]?[label] else {
                    Issue.record("missing probability \(label)")
                    continue
                }
                maxDelta = max(maxDelta, abs(p - q))
            }
        }
        #expect(maxDelta <= 1e-12, "max |Δp| = \(maxDelta)")
    }

    @Test("a bad line gets an error object with its line number; the others still score")
    func perLineErrors() throws {
        let model = CLIPaths.fixtures.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.small.model").path
        let good = try String(contentsOf: CLIPaths.fixtures.appendingPathComponent("sample-features.jsonl"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        let input = [good, #"{"features": [1, 2, 3]}"#, "not json", #"{"features": [true, "x"]}"#, "", good].joined(separator: "\n")
        let result = try runCLI(["predict", "--model-file", model], stdin: Data(input.utf8))
        #expect(result.status == 1)
        #expect(result.stderr.contains("3 of 6 lines could not be scored"))
        let out = try lines(result.stdout)
        #expect(out.count == 5)
        #expect(out[0]["prediction"] != nil && out[4]["prediction"] != nil)
        #expect(out[0] == out[4])
        #expect(out[1]["line"] == .int(2))
        #expect(out[1]["error"] == .string("expected 80 feature values, got 3"))
        #expect(out[2]["line"] == .int(3))
        #expect(out[3]["error"] == .string("features[1] is not a number or boolean"))
    }

    @Test("info --json shows what the model declares")
    func info() throws {
        let result = try runCLI(["info", "--json", CLIPaths.fixtures.appendingPathComponent("models/size_class.random_forest.model").path])
        #expect(result.status == 0)
        let json = try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(json["type"] == .string("RandomForest"))
        #expect(json["version"] == .string("0.1.0-fixture"))
        #expect(json["labels"] == .array([.string("shrink"), .string("tweak"), .string("grow")]))
        if case let .array(features)? = json["features"] { #expect(features.count == 80) } else { Issue.record("no features") }
    }

    @Test("unreadable and non-model files exit with status 2 and a message")
    func badModelFiles() throws {
        let missing = try runCLI(["predict", "--model-file", "/nonexistent.model"], stdin: Data())
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent.model"))
        let notAModel = try runCLI(["info", CLIPaths.fixtures.appendingPathComponent("rows.jsonl").path])
        #expect(notAModel.status == 2)
        #expect(notAModel.stderr.contains("not a valid model file"))
    }

    @Test("predict works for legacy model files",
          .enabled(if: CLIPaths.sharedAvailable, "../shared is absent: legacy models are not checked"))
    func legacyPredict() throws {
        let legacy = CLIPaths.shared.appendingPathComponent("models/legacy")
        let file = legacy.appendingPathComponent("arwiki.reverted.rf.2016-03-10.model")
        let result = try runCLI(["predict", "--model-file", file.path, file.path + ".expected.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try lines(try String(contentsOf: URL(fileURLWithPath: file.path + ".expected.jsonl"), encoding: .utf8))
        let got = try lines(result.stdout)
        #expect(got.count == expected.count)
        for (g, e) in zip(got, expected) {
            #expect(g["prediction"] == e["prediction"])
            #expect(g["probability"] == e["probability"])
        }
    }

    @Test("batch: revision documents in, revscoring's scores out (bundled samples)")
    func batchSamples() throws {
        let model = CLIPaths.fixtures.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.small.model").path
        let docs = try String(contentsOf: CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"), encoding: .utf8)
        let input = docs + "not json\n" + #"{"rev_id": 5, "namespace": 0, "timestamp": "2016-01-01T00:00:00Z", "user_id": 1, "text": null}"# + "\n"
            + #"{"rev_id": 6, "timestamp": "2016-01-01T00:00:00Z"}"# + "\n"
        let result = try runCLI(["batch", "--model-file", model], stdin: Data(input.utf8))
        #expect(result.status == 0)
        let got = try lines(result.stdout)
        #expect(got.count == 8)
        var expected: [String: JSONValue] = [:]
        for line in try lines(try String(contentsOf: CLIPaths.fixtures.appendingPathComponent("expected-scores.jsonl"), encoding: .utf8))
        where line["model"] == .string("enwiki.goodfaith.gradient_boosting.small.model") {
            if case let .string(row)? = line["row"] { expected[row] = line }
        }
        for g in got.prefix(5) {
            guard case let .int(id)? = g["rev_id"], let e = expected["sample-\(id)"] else {
                Issue.record("unexpected line \(g.serialized())")
                continue
            }
            #expect(g["score"]?["prediction"] == e["prediction"])
            #expect(g["score"]?["probability"] == e["probability"])  // bit-identical
        }
        #expect(got[5]["line"] == .int(6))
        #expect(got[6]["rev_id"] == .int(5))
        #expect(got[6]["error"] == .string("TextDeleted: Text deleted (datasource.revision.text)"))
        // A document missing a field is still named by its rev id.
        #expect(got[7]["rev_id"] == .int(6) && got[7]["line"] == nil)
        #expect(got[7]["error"] == .string(#"revision document has no "namespace""#))
    }

    @Test("batch over the corpus reproduces revscoring's expected scores (extraction + scoring)",
          .enabled(if: CLIPaths.sharedAvailable, "../shared is absent: end-to-end parity is not checked"))
    func batchCorpus() throws {
        let file = "enwiki.goodfaith.gradient_boosting.model"
        let result = try runCLI(["batch", "--model-file", CLIPaths.shared.appendingPathComponent("models/\(file)").path,
                                 CLIPaths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl").path])
        #expect(result.status == 0, "\(result.stderr)")
        var expected: [Int: JSONValue] = [:]
        for line in try lines(try String(contentsOf: CLIPaths.shared.appendingPathComponent("models/expected-scores.jsonl"), encoding: .utf8))
        where line["model"] == .string(file) {
            if case let .int(id)? = line["rev_id"] { expected[id] = line }
        }
        let got = try lines(result.stdout)
        #expect(got.count == expected.count)
        var identical = 0
        for g in got {
            guard case let .int(id)? = g["rev_id"], let e = expected[id] else {
                Issue.record("no expected score for \(g.serialized().prefix(80))")
                continue
            }
            #expect(g["score"]?["prediction"] == e["prediction"])
            if g["score"]?["probability"] == e["probability"] { identical += 1 }
        }
        #expect(identical == expected.count, "\(identical) of \(expected.count) bit-identical")
    }
}
