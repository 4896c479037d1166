import FakeMediaWikiAPI
import Foundation
import Revscoring
import Testing

/// The fixture documents, as JSON.
func sampleDocuments() throws -> [JSONValue] {
    try lines(try String(contentsOf: CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"), encoding: .utf8))
}

/// `runCLI` off the cooperative thread pool: the fake API's handlers run on that pool, so a
/// test blocked in `waitUntilExit` there could starve the server it waits for.
func runCLIDetached(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runCLI(arguments) })
        }
    }
}

let smallModel = CLIPaths.fixtures.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.small.model").path

@Suite("score-cli score (live MediaWiki API, faked on loopback)")
struct ScoreCommandTests {
    @Test("scores equal offline batch scoring of the same documents; a missing revision is an error entry")
    func samples() async throws {
        let docs = try sampleDocuments()
        let ids = docs.compactMap { $0["rev_id"]?.intValue }
        let api = FakeMediaWikiAPI(documents: docs)
        let result = try await api.withServer { url in
            try await runCLIDetached(["score"] + ids.map(String.init) + ["123", "--model-file", smallModel, "--api", url])
        }
        #expect(result.status == 1)
        #expect(result.stderr.contains("1 of 6 scores could not be computed"))
        let response = try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let wiki = try #require(response["enwiki"])
        #expect(wiki["models"]?["goodfaith"]?["version"] != nil)
        let offline = try lines(runCLI(["batch", "--model-file", smallModel, CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl").path]).stdout)
        for line in offline {
            let id = try #require(line["rev_id"]?.intValue)
            #expect(wiki["scores"]?["\(id)"]?["goodfaith"]?["score"] == line["score"], "rev \(id)")
        }
        #expect(wiki["scores"]?["123"]?["goodfaith"]?["error"] == .object([
            .init("type", .string("RevisionNotFound")),
            .init("message", .string("RevisionNotFound: Could not find revision ({revision}:123)")),
        ]))
    }

    @Test("--features adds the trimmed feature values revscoring gives (extended_output)")
    func extendedOutput() async throws {
        let docs = try sampleDocuments()
        let api = FakeMediaWikiAPI(documents: docs)
        let ids = docs.compactMap { $0["rev_id"]?.intValue }
        let result = try await api.withServer { url in
            try await runCLIDetached(["score"] + ids.map(String.init) + ["--model-file", smallModel, "--model", "goodfaith,", "--api", url, "--features"])
        }
        #expect(result.status == 0, "\(result.stderr)")
        let scores = try #require(try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["enwiki"]?["scores"])
        let reference = try lines(try String(contentsOf: CLIPaths.fixtures.appendingPathComponent("sample-trimmed-features.jsonl"), encoding: .utf8))
        #expect(reference.count == ids.count)
        for line in reference {
            let id = try #require(line["rev_id"]?.intValue)
            let got = try #require(scores["\(id)"]?["goodfaith"]?["features"]?.members, "rev \(id)")
            let expected = try #require(line["features"]?.members)
            #expect(got.map(\.key) == expected.map(\.key), "rev \(id): names and order")
            for (g, e) in zip(got, expected) {
                #expect(g.value == e.value, "rev \(id) \(e.key)")  // same JSON type and value
            }
        }
    }

    @Test("every corpus revision fetched live scores as revscoring scored the document",
          .enabled(if: CLIPaths.sharedAvailable, "../shared is absent: live-scoring parity is not checked"))
    func corpus() async throws {
        let file = "enwiki.goodfaith.gradient_boosting.model"
        let docs = try lines(try String(contentsOf: CLIPaths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl"), encoding: .utf8))
        let ids = docs.compactMap { $0["rev_id"]?.intValue }
        let api = FakeMediaWikiAPI(documents: docs)
        let result = try await api.withServer { url in
            try await runCLIDetached(["score"] + ids.map(String.init)
                       + ["--model-file", CLIPaths.shared.appendingPathComponent("models/\(file)").path, "--api", url])
        }
        #expect(result.status == 0, "\(result.stderr)")
        let scores = try #require(try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))["enwiki"]?["scores"])
        var identical = 0, expectedCount = 0
        for line in try lines(try String(contentsOf: CLIPaths.shared.appendingPathComponent("models/expected-scores.jsonl"), encoding: .utf8))
        where line["model"] == .string(file) {
            expectedCount += 1
            let id = try #require(line["rev_id"]?.intValue)
            let score = scores["\(id)"]?["goodfaith"]?["score"]
            #expect(score?["prediction"] == line["prediction"], "rev \(id)")
            if score?["probability"] == line["probability"] { identical += 1 }
        }
        #expect(expectedCount == ids.count)
        #expect(identical == expectedCount, "\(identical) of \(expectedCount) bit-identical")
    }

    @Test("extract --rev-id gives the same feature vectors as extracting the documents")
    func extractLive() async throws {
        let docs = try sampleDocuments()
        let ids = docs.compactMap { $0["rev_id"]?.intValue }
        let api = FakeMediaWikiAPI(documents: docs)
        let live = try await api.withServer { url in
            try await runCLIDetached(["extract", "--api", url] + ids.flatMap { ["--rev-id", String($0)] })
        }
        #expect(live.status == 0, "\(live.stderr)")
        let offline = try runCLI(["extract", CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl").path])
        #expect(live.stdout == offline.stdout)
        #expect(try lines(live.stdout).count == ids.count)
        // One worker gives the same lines in the same order; zero workers is refused.
        let serial = try runCLI(["extract", "--workers", "1", CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl").path])
        #expect(serial.stdout == offline.stdout)
        #expect(try runCLI(["extract", "--workers", "0", CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl").path]).status != 0)
    }

    @Test("bench measures single rows and batches, and refuses rows of the wrong width")
    func bench() throws {
        let result = try runCLI(["bench", smallModel, "--seconds", "0.05", "--batch-sizes", "1,50", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONValue.parse(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect((json["single_row_us"]?["calls"]?.intValue ?? 0) >= 100)
        #expect(json["batch_rows_per_second"]?.members?.map(\.key) == ["1", "50"])
        let rows = try runCLI(["bench", smallModel, "--rows", CLIPaths.fixtures.appendingPathComponent("sample-features.jsonl").path,
                               "--seconds", "0.05", "--batch-sizes", "8"])
        #expect(rows.status == 0, "\(rows.stderr)")
        let narrow = try runCLI(["bench", CLIPaths.fixtures.appendingPathComponent("models/size_class.logistic_regression.model").path,
                                 "--rows", CLIPaths.fixtures.appendingPathComponent("tokenizer-cases.jsonl").path])
        #expect(narrow.status == 2)
        let badSizes = try runCLI(["bench", smallModel, "--batch-sizes", "0,x"])
        #expect(badSizes.status != 0 && badSizes.stderr.contains("--batch-sizes"))
    }

    @Test("bad rev ids, unknown models and an unreachable API exit non-zero with a message")
    func errors() throws {
        let notAnID = try runCLI(["score", "12x", "--model-file", smallModel])
        #expect(notAnID.status != 0 && notAnID.stderr.contains("12x"))
        let negative = try runCLI(["score", "--model-file", smallModel, "--", "-5"])
        #expect(negative.status != 0 && negative.stderr.contains("-5"))
        let noModel = try runCLI(["score", "1", "--model", "reverted", "--models", CLIPaths.fixtures.appendingPathComponent("models").path])
        #expect(noModel.status == 2 && noModel.stderr.contains("no enwiki reverted model"))
        let unreachable = try runCLI(["score", "1", "--model-file", smallModel, "--api", "http://127.0.0.1:9/w/api.php", "--timeout", "2"])
        #expect(unreachable.status == 3 && unreachable.stderr.contains("could not be reached"))
        let badURL = try runCLI(["score", "1", "--model-file", smallModel, "--api", "ftp://example.org"])
        #expect(badURL.status == 2 && badURL.stderr.contains("not an http(s) URL"))
    }
}
