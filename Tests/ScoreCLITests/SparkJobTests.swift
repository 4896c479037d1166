import Foundation
import Testing

/// The PySpark virtualenv `.ci/run` makes (`.venv-spark` at the repository root).
enum SparkEnvironment {
    static let python = CLIPaths.repository.appendingPathComponent(".venv-spark/bin/python")
    static var available: Bool { FileManager.default.isExecutableFile(atPath: python.path) }
    static let skipMessage: Comment = "no .venv-spark (pyspark): the Spark job is not run; .ci/run installs it"
}

/// Runs a program to completion; returns its status and combined output.
func runProgram(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = CLIPaths.repository
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite("Spark: score-cli batch piped from PySpark in local mode", .serialized)
struct SparkJobTests {
    /// Runs spark/score_revisions.py over `documents` and checks every row against
    /// `score-cli batch` on one machine (spark/compare_with_batch.py).
    func check(documents: URL, model: String, parquet: Bool = false) throws {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = products.appendingPathComponent("score-cli").path
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("spark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let batch = try runCLI(["batch", "--model-file", model, documents.path])
        #expect(batch.status == 0, "\(batch.stderr)")
        let batchFile = work.appendingPathComponent("batch.jsonl")
        try Data(batch.stdout.utf8).write(to: batchFile)
        var input = documents.path
        if parquet {
            // pyarrow infers the timestamps as timestamp columns, as Parquet datasets hold them.
            input = work.appendingPathComponent("documents.parquet").path
            let convert = try runProgram(SparkEnvironment.python, [
                "-c", "import sys, pyarrow.json as j, pyarrow.parquet as p; p.write_table(j.read_json(sys.argv[1]), sys.argv[2])",
                documents.path, input,
            ])
            #expect(convert.status == 0, "\(convert.output)")
        }
        let output = work.appendingPathComponent("scores.parquet").path
        let job = try runProgram(SparkEnvironment.python, [
            "spark/score_revisions.py", "--master", "local[2]", "--input", input, "--output", output,
            "--binary", binary, "--model-file", model, "--partitions", "2",
        ] + (parquet ? ["--input-format", "parquet"] : []))
        #expect(job.status == 0, "\(job.output.suffix(3000))")
        let compare = try runProgram(SparkEnvironment.python, ["spark/compare_with_batch.py", output, batchFile.path, "goodfaith"])
        #expect(compare.status == 0, "\(compare.output)")
        #expect(compare.output.contains("differences 0, extra rows 0"))
    }

    @Test("the bundled samples scored on Spark equal score-cli batch", .enabled(if: SparkEnvironment.available, SparkEnvironment.skipMessage))
    func samples() throws {
        try check(documents: CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"), model: smallModel)
    }

    @Test("Parquet input (timestamps as timestamp columns) gives the same rows", .enabled(if: SparkEnvironment.available, SparkEnvironment.skipMessage))
    func parquetSamples() throws {
        try check(documents: CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"), model: smallModel, parquet: true)
    }

    @Test("every corpus revision scored on Spark equals score-cli batch",
          .enabled(if: SparkEnvironment.available, SparkEnvironment.skipMessage),
          .enabled(if: CLIPaths.sharedAvailable, "../shared is absent: the corpus is not scored on Spark"))
    func corpus() throws {
        try check(documents: CLIPaths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl"),
                  model: CLIPaths.shared.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.model").path)
    }
}
