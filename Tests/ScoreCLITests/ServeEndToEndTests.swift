import AsyncHTTPClient
import FakeMediaWikiAPI
import Foundation
import NIOCore
import Revscoring
import Testing

/// A running `score-cli serve`, stopped when the test is done.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let url: String

    /// Starts the server on a free port and waits for the URL it prints.
    init(_ arguments: [String]) throws {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        process.executableURL = products.appendingPathComponent("score-cli")
        process.arguments = ["serve", "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            guard let b = byte.first else { break }
            if b == 0x0A { break }
            line.append(b)
        }
        url = String(decoding: line, as: UTF8.self)
        guard url.hasPrefix("http://") else {
            process.terminate()
            throw CLIError("score-cli serve did not start: \(url)")
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}

struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// POSTs JSON and returns the status and parsed body.
func post(_ url: String, _ body: String) async throws -> (Int, JSONValue) {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(string: body))
    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 1 << 24)
    return (Int(response.status.code), try JSONValue.parse(bytes.readableBytesView))
}

@Suite("score-cli serve, end to end on loopback")
struct ServeEndToEndTests {
    @Test("every revision scored through the server equals offline scoring (bundled samples)")
    func samples() async throws {
        try await check(documents: CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"), model: smallModel)
    }

    @Test("every corpus revision scored through the server equals revscoring's expected score",
          .enabled(if: CLIPaths.sharedAvailable, "../shared is absent: server parity over the corpus is not checked"))
    func corpus() async throws {
        try await check(documents: CLIPaths.shared.appendingPathComponent("corpus/enwiki-revisions.jsonl"),
                        model: CLIPaths.shared.appendingPathComponent("models/enwiki.goodfaith.gradient_boosting.model").path)
    }

    @Test("transformer/predictor split: a transformer server scoring on a predictor server gives the same scores")
    func transformerPredictor() async throws {
        let predictor = try ServerProcess(["--model-file", smallModel, "--name", "enwiki-goodfaith", "--max-latency-ms", "2"])
        let host = String(predictor.url.dropFirst("http://".count))
        try await check(documents: CLIPaths.fixtures.appendingPathComponent("sample-revisions.jsonl"), model: smallModel,
                        extraArguments: ["--predictor-host", host])
    }

    func check(documents: URL, model: String, extraArguments: [String] = []) async throws {
        let docs = try lines(try String(contentsOf: documents, encoding: .utf8))
        let offline = try lines(runCLI(["batch", "--model-file", model, documents.path]).stdout)
        let api = FakeMediaWikiAPI(documents: docs)
        try await api.withServer { apiURL in
            let server = try ServerProcess(["--model-file", model, "--name", "enwiki-goodfaith", "--api", apiURL,
                                            "--max-latency-ms", "2"] + extraArguments)
            let predict = server.url + "/v1/models/enwiki-goodfaith:predict"
            var identical = 0
            // Eight requests at a time, so that the batcher really batches.
            try await withThrowingTaskGroup(of: (Int, JSONValue?, JSONValue?).self) { group in
                var pending = offline.makeIterator()
                func next() -> Bool {
                    guard let line = pending.next(), let id = line["rev_id"]?.intValue else { return false }
                    group.addTask {
                        let (status, body) = try await post(predict, #"{"rev_id": \#(id)}"#)
                        #expect(status == 200, "rev \(id): \(body.serialized())")
                        return (id, body["enwiki"]?["scores"]?["\(id)"]?["goodfaith"]?["score"], line["score"])
                    }
                    return true
                }
                for _ in 0..<8 where next() {}
                while let (id, got, expected) = try await group.next() {
                    #expect(got == expected, "rev \(id)")
                    if got == expected { identical += 1 }
                    _ = next()
                }
            }
            #expect(identical == offline.count)
        }
    }
}
