import ArgumentParser
import Foundation
import Revscoring

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score revision documents: extract the model's features, then score.",
        discussion: """
            Reads revision documents (JSON lines in the corpus format) from INPUT or standard input and \
            writes one line per input, in order: {"rev_id": N, "score": {"prediction": ..., "probability": \
            {...}}}, or {"rev_id": N, "error": "..."} for a revision that cannot be scored (deleted text, \
            bad document), or {"line": N, "error": "..."} for a line that is not a document. A streaming \
            filter (Spark's RDD.pipe, mapPartitions): the model is loaded once, lines are read and \
            written in chunks, and output order is input order. The features \
            are the ones the model file names, extracted as revscoring extracts them.
            """)

    @Option(name: .customLong("model-file"), help: "A revscoring model file.")
    var modelFile: String

    @Argument(help: "JSON lines of revision documents (default: standard input).")
    var input: String?

    @OptionGroup var workerOptions: WorkerOptions

    @Flag(help: "Also write the model's feature values (\"features\": [...], in model order).")
    var features = false

    func run() throws {
        let model = try loadModel(modelFile)
        let list: FeatureList
        do {
            list = try FeatureList(name: model.info.type, featureNames: model.featureNames)
        } catch {
            printError("score-cli: \(modelFile): \(error)")
            throw ExitCode(2)
        }
        let withFeatures = features
        let (lines, failures) = mapJSONLines(try openInput(input), workers: workerOptions.workers, progress: true) { line, result in
            let json = try JSONValue.parse(line)
            // The rev id goes first, so that even a document that fails below is identified.
            if let id = json["rev_id"]?.intValue { result.append(.init("rev_id", .int(id))) }
            let document = try RevisionDocument(json: json)
            let values = try list.values(for: try document.revisionData())
            result.append(.init("score", try model.score(values).json))
            if withFeatures { result.append(.init("features", .array(values.map(\.json)))) }
        }
        printError("score-cli: \(lines) lines, \(lines - failures) scored, \(failures) could not be scored")
    }
}
