import ArgumentParser
import Foundation
import Revscoring

struct Extract: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract feature vectors from revision documents.",
        discussion: """
            Reads revision documents (JSON lines in the corpus format) from INPUT or standard input, or \
            fetches the revisions named with --rev-id from the MediaWiki API, and writes {"rev_id": N, \
            "features": [...]} per revision (or {"rev_id": N, "error": "..."}). With --compare GOLDENS \
            (lines {"rev_id", "features"} from the reference extractor), writes no features but a report \
            of mismatches per feature instead.
            """)

    @Option(name: .customLong("feature-list"), help: "A feature list (enwiki.goodfaith, enwiki.damaging).")
    var featureList = "enwiki.goodfaith"

    @Option(help: "Reference feature values to compare with, instead of printing features.")
    var compare: String?

    @Argument(help: "JSON lines of revision documents (default: standard input).")
    var input: String?

    @Option(name: .customLong("rev-id"), help: "Fetch this revision from the MediaWiki API instead (repeatable).")
    var revIDs: [Int] = []

    @OptionGroup var apiOptions: APIOptions
    @OptionGroup var workerOptions: WorkerOptions

    func validate() throws {
        if let bad = revIDs.first(where: { $0 <= 0 }) { throw ValidationError("\(bad) is not a revision id (ids are positive)") }
        if !revIDs.isEmpty, input != nil || compare != nil {
            throw ValidationError("--rev-id fetches revisions live: it excludes INPUT and --compare")
        }
    }

    func run() async throws {
        guard let names = FeatureLists.named(featureList) else {
            printError("score-cli: unknown feature list \(featureList)")
            throw ExitCode(2)
        }
        if !revIDs.isEmpty {
            try await extractLive(names: names)
            return
        }
        let handle = try openInput(input)
        if let compare {
            try runComparison(names: names, goldensPath: compare, handle: handle)
            return
        }
        let list: FeatureList
        do {
            list = try FeatureList(name: featureList, featureNames: names)
        } catch {
            printError("score-cli: \(error) (use --compare to measure the implemented features)")
            throw ExitCode(2)
        }
        let (lines, failures) = mapJSONLines(handle, workers: workerOptions.workers) { line, result in
            let document = try RevisionDocument(json: try JSONValue.parse(line))
            result.append(.init("rev_id", .int(document.revID)))
            let values = try list.values(for: try document.revisionData())
            result.append(.init("features", .array(values.map(\.json))))
        }
        if failures > 0 { printError("score-cli: \(failures) of \(lines) revisions could not be extracted") }
    }

    /// Fetches `revIDs` from the API and prints their features, in the order given.
    func extractLive(names: [String]) async throws {
        let list: FeatureList
        do {
            list = try FeatureList(name: featureList, featureNames: names)
        } catch {
            printError("score-cli: \(error)")
            throw ExitCode(2)
        }
        let fetched: [Int: Result<RevisionData, ExtractionError>]
        do {
            fetched = try await APIExtractor(client: try apiOptions.client()).revisionData(for: revIDs)
        } catch {
            printError("score-cli: \(error)")
            throw ExitCode(3)
        }
        let ids = revIDs
        let slots = ResultSlots<JSONValue>(count: ids.count, initial: .null)
        DispatchQueue.concurrentPerform(iterations: ids.count) { i in
            var members: [JSONValue.Member] = [.init("rev_id", .int(ids[i]))]
            do {
                let data = try (fetched[ids[i]] ?? .failure(.revisionNotFound(revID: ids[i]))).get()
                members.append(.init("features", .array(try list.values(for: data).map(\.json))))
            } catch {
                members.append(.init("error", .string(String(describing: error))))
            }
            slots[i] = .object(members)
        }
        var out = OutputBuffer()
        var failures = 0
        for line in slots.values {
            if line["error"] != nil { failures += 1 }
            out.write(line.serialized(pythonSpacing: true))
        }
        out.flush()
        if failures > 0 {
            printError("score-cli: \(failures) of \(ids.count) revisions could not be extracted")
            throw ExitCode(1)
        }
    }

    /// Extracts the implemented features and reports, per feature, how many values differ
    /// from the reference.
    func runComparison(names: [String], goldensPath: String, handle: FileHandle) throws {
        guard let goldenHandle = FileHandle(forReadingAtPath: goldensPath) else {
            printError("score-cli: cannot open \(goldensPath)")
            throw ExitCode(2)
        }
        var goldens: [Int: [JSONValue]] = [:]
        for line in LineReader(handle: goldenHandle) where !line.isEmpty {
            guard let json = try? JSONValue.parse(line), case let .int(id)? = json["rev_id"],
                  case let .array(values)? = json["features"] else { continue }
            goldens[id] = values
        }
        let implemented = names.enumerated().compactMap { i, n in FeatureRegistry.standard.feature(named: n).map { (i, $0) } }
        var mismatches = [Int](repeating: 0, count: names.count)
        var example = [String?](repeating: nil, count: names.count)
        var revisions = 0, values = 0
        for line in LineReader(handle: handle) where !line.isEmpty {
            guard let json = try? JSONValue.parse(line), let document = try? RevisionDocument(json: json),
                  let golden = goldens[document.revID], let data = try? document.revisionData() else { continue }
            revisions += 1
            let context = RevisionContext(data)
            for (i, feature) in implemented {
                values += 1
                let v: FeatureValue
                do {
                    v = try feature.value(in: context)
                } catch {
                    mismatches[i] += 1
                    if example[i] == nil { example[i] = "rev \(document.revID): \(error)" }
                    continue
                }
                if !v.sameAsReference(golden[i]) {
                    mismatches[i] += 1
                    if example[i] == nil {
                        example[i] = "rev \(document.revID): \(v.json.serialized()) vs \(golden[i].serialized())"
                    }
                }
            }
        }
        let wrong = mismatches.reduce(0, +)
        print("compared \(revisions) revisions: \(values - wrong)/\(values) values equal; \(implemented.count)/\(names.count) features implemented")
        for (i, name) in names.enumerated() {
            if FeatureRegistry.standard.feature(named: name) == nil {
                print("  not implemented  \(name)")
            } else if mismatches[i] > 0 {
                print("  \(mismatches[i]) mismatches  \(name)  e.g. \(example[i] ?? "")")
            }
        }
        if wrong > 0 { throw ExitCode(1) }
    }
}

func openInput(_ path: String?) throws -> FileHandle {
    guard let path else { return .standardInput }
    guard let h = FileHandle(forReadingAtPath: path) else {
        printError("score-cli: cannot open \(path)")
        throw ExitCode(2)
    }
    return h
}
