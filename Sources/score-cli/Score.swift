import ArgumentParser
import Foundation
import Revscoring

/// Where the MediaWiki API is: shared by the commands that fetch revisions live.
struct APIOptions: ParsableArguments {
    @Option(help: "The wiki's database name (enwiki, dewiki, wikidatawiki, …).")
    var wiki = "enwiki"

    @Option(help: "The MediaWiki Action API URL (default: the wiki's public api.php).")
    var api: String?

    @Option(help: "A Host header to send instead of the URL's host (an internal endpoint for a public wiki).")
    var host: String?

    @Option(help: "Seconds to wait for one API answer.")
    var timeout: Double = 5

    /// The configured client.
    func client() throws -> MediaWikiAPIClient {
        guard timeout > 0, timeout.isFinite else {
            printError("score-cli: --timeout must be a positive number of seconds")
            throw ExitCode(2)
        }
        let endpoint: String
        if let api {
            guard let url = URL(string: api), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                printError("score-cli: --api \(api) is not an http(s) URL")
                throw ExitCode(2)
            }
            endpoint = api
        } else {
            guard let host = WikiHost.host(for: wiki) else {
                printError("score-cli: no known host for wiki \(wiki); pass --api URL")
                throw ExitCode(2)
            }
            endpoint = "https://\(host)/w/api.php"
        }
        return MediaWikiAPIClient(configuration: .init(
            endpoint: endpoint, host: host, timeout: .milliseconds(Int64(timeout * 1000))))
    }
}

struct Score: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score revisions live: fetch them from the MediaWiki API, extract, score.",
        discussion: """
            Fetches each revision, its parent and its editor from the MediaWiki Action API (the queries \
            Lift Wing's revscoring server makes), extracts the model's features and prints Lift Wing's \
            response: {"enwiki": {"models": {"goodfaith": {"version": ...}}, "scores": {"REV": \
            {"goodfaith": {"score": {"prediction": ..., "probability": {...}}}}}}}. A revision that \
            cannot be scored (missing, deleted text, hidden user) gets ORES's {"error": {"type": ..., \
            "message": ...}} instead, and the others are still scored; the exit status is then 1.
            """)

    @Argument(help: ArgumentHelp("Revision ids.", valueName: "rev-id"))
    var revIDs: [Int]

    @Option(help: "Models to score with, comma-separated (goodfaith,damaging).")
    var model: String?

    @Option(help: "A directory of models ({wiki}-{model}/model.bin or {wiki}.{model}.*.model; default $REVSCORING_MODELS or ./models).")
    var models: String?

    @Option(name: .customLong("model-file"), help: "A single model file (instead of --models).")
    var modelFile: String?

    @Flag(help: "Also print the feature values, trimmed of modifiers (Lift Wing's extended_output).")
    var features = false

    @OptionGroup var apiOptions: APIOptions

    func validate() throws {
        if let bad = revIDs.first(where: { $0 <= 0 }) { throw ValidationError("\(bad) is not a revision id (ids are positive)") }
        if modelFile != nil, models != nil { throw ValidationError("--models and --model-file exclude each other") }
    }

    func run() async throws {
        let scorers = try loadScorers()
        let extractor = APIExtractor(client: try apiOptions.client())
        let fetched: [Int: Result<RevisionData, ExtractionError>]
        do {
            fetched = try await extractor.revisionData(for: revIDs)
        } catch {
            printError("score-cli: \(error)")
            throw ExitCode(3)
        }
        var response = LiftWingResponse(wiki: apiOptions.wiki)
        for s in scorers { response.addModel(s.name, version: s.model.info.version) }
        let outcomes = scoreConcurrently(revIDs.map { fetched[$0] ?? .failure(.revisionNotFound(revID: $0)) }, scorers)
        var failed = 0
        for (id, perModel) in zip(revIDs, outcomes) {
            for (scorer, outcome) in zip(scorers, perModel) {
                if case .failure = outcome { failed += 1 }
                response.add(revID: id, model: scorer.name, outcome)
            }
        }
        print(response.json.serialized(pythonSpacing: true))
        if failed > 0 {
            printError("score-cli: \(failed) of \(revIDs.count * scorers.count) scores could not be computed")
            throw ExitCode(1)
        }
    }

    /// Scores each revision with every scorer, revisions spread over the cores; one context
    /// per revision, so the models share its datasources.
    func scoreConcurrently(_ data: [Result<RevisionData, ExtractionError>], _ scorers: [Scorer])
        -> [[Result<ScoreResult, ScoringError>]]
    {
        let slots = ResultSlots<[Result<ScoreResult, ScoringError>]>(count: data.count, initial: [])
        let extended = features
        DispatchQueue.concurrentPerform(iterations: data.count) { i in
            switch data[i] {
            case let .failure(e):
                slots[i] = scorers.map { _ in .failure(.extraction(e)) }
            case let .success(d):
                let context = RevisionContext(d)
                slots[i] = scorers.map { s in Result { () throws(ScoringError) in try s.score(context, extendedOutput: extended) } }
            }
        }
        return slots.values
    }

    func loadScorers() throws -> [Scorer] {
        var names = (model ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var files: [String] = []
        if let modelFile {
            if names.isEmpty { names = [Self.modelName(fromFile: modelFile)] }
            guard names.count == 1 else {
                printError("score-cli: --model-file is one model; name one --model")
                throw ExitCode(2)
            }
            files = [modelFile]
        } else {
            if names.isEmpty { names = ["goodfaith"] }
            let directory = ModelDirectory(URL(fileURLWithPath: models ?? ProcessInfo.processInfo.environment["REVSCORING_MODELS"] ?? "models"))
            for name in names {
                do {
                    files.append(try directory.locate(wiki: apiOptions.wiki, model: name).path)
                } catch {
                    printError("score-cli: \(error)")
                    throw ExitCode(2)
                }
            }
        }
        return try zip(names, files).map { name, file in
            do {
                return try Scorer(name: name, model: try loadModel(file))
            } catch let error as FeatureListError {
                printError("score-cli: \(file): \(error)")
                throw ExitCode(2)
            }
        }
    }

    /// `enwiki.goodfaith.gradient_boosting.model` → `goodfaith`; otherwise the file's stem.
    static func modelName(fromFile path: String) -> String {
        let parts = URL(fileURLWithPath: path).lastPathComponent.split(separator: ".")
        return parts.count >= 3 ? String(parts[1]) : String(parts.first ?? "model")
    }
}

/// One slot per iteration of a `concurrentPerform`, read after it returns.
///
/// @unchecked: iteration `i` writes only slot `i` (plain memory, no shared array header),
/// and `values` is read only after `concurrentPerform` has returned, which orders those
/// writes before the read.
final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T>
    init(count: Int, initial: T) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: initial)
    }
    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
    subscript(i: Int) -> T {
        get { buffer[i] }
        set { buffer[i] = newValue }
    }
    var values: [T] { Array(buffer) }
}
