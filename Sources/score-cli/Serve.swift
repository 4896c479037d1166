import ArgumentParser
import Foundation
import Hummingbird
import Revscoring
import RevscoringServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve models over HTTP: KServe V1/V2 with Lift Wing's request and response shapes.",
        discussion: """
            Serves every model of --models DIR ({wiki}-{model}/model.bin as Lift Wing stores them, or \
            {wiki}.{model}.*.model) as {wiki}-{model}, or one --model-file as --name. Routes: GET /, \
            GET /v1/models, GET /v1/models/NAME, POST /v1/models/NAME:predict ({"rev_id": N, \
            "extended_output": bool} or {"instances": [...]}), GET /v2/health/live, /v2/health/ready, \
            /v2/models/NAME, /v2/models/NAME/ready, POST /v2/models/NAME/infer. Revisions are fetched \
            from --api (or $WIKI_URL, as Lift Wing configures it; default: each wiki's public API). \
            With no --models or --model-file and $INFERENCE_NAME set (Lift Wing's environment), serves \
            $MODEL_PATH (default /mnt/models/model.bin) as $INFERENCE_NAME. With $EVENTGATE_URL (and \
            $EVENTGATE_STREAM) set, a request carrying a revision-create or page-change event also \
            sends a revision-score event there, in the background.
            """)

    @Option(help: "A directory of models (default $REVSCORING_MODELS or ./models).")
    var models: String?

    @Option(name: .customLong("model-file"), help: "Serve one model file (instead of --models).")
    var modelFile: String?

    @Option(help: "The name to serve --model-file as ({wiki}-{model}, e.g. enwiki-goodfaith).")
    var name: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the URL is printed on standard output).")
    var port = 8080

    @Option(help: "Instances that make a batch (KServe's maxBatchSize); 1, the default, scores each request at once (no batcher). KServe's batcher defaults are 32 and 500 ms.")
    var maxBatchSize = 1

    @Option(name: .customLong("max-latency-ms"), help: "The longest a batch waits for more requests (KServe's maxLatency).")
    var maxLatencyMS = 500

    @Option(help: "Largest request body, in bytes.")
    var maxBodyBytes = 10 << 20

    @Option(help: "The MediaWiki Action API URL for every wiki (default: $WIKI_URL, or each wiki's public api.php).")
    var api: String?

    @Option(name: .customLong("api-host"), help: "A Host header for API calls (default: $WIKI_HOST).")
    var apiHost: String?

    @Option(help: "Seconds to wait for one API answer (Lift Wing: $AIOHTTP_CLIENT_TIMEOUT, 5).")
    var timeout: Double?

    @Option(name: .customLong("predictor-host"),
            help: "HOST:PORT of a predictor server: fetch and extract here, score there (KServe's transformer).")
    var predictorHost: String?

    func validate() throws {
        if modelFile != nil, models != nil { throw ValidationError("--models and --model-file exclude each other") }
        if modelFile != nil, name == nil, ProcessInfo.processInfo.environment["INFERENCE_NAME"] == nil {
            throw ValidationError("--model-file needs --name {wiki}-{model} (or $INFERENCE_NAME)")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard maxBatchSize > 0, maxLatencyMS >= 0, maxBodyBytes > 0 else {
            throw ValidationError("--max-batch-size and --max-body-bytes must be positive, --max-latency-ms not negative")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var entries: [ModelDirectory.Entry] = []
        // Lift Wing's configuration: one model at $MODEL_PATH (default /mnt/models/model.bin)
        // served as $INFERENCE_NAME, unless flags say otherwise.
        let inferenceName = environment["INFERENCE_NAME"]
        let modelFile = self.modelFile
            ?? (models == nil && inferenceName != nil ? environment["MODEL_PATH"] ?? "/mnt/models/model.bin" : nil)
        if let modelFile, let name = name ?? inferenceName {
            guard let dash = name.firstIndex(of: "-"), dash != name.startIndex, name.index(after: dash) != name.endIndex else {
                printError("score-cli: --name must be {wiki}-{model}, e.g. enwiki-goodfaith")
                throw ExitCode(2)
            }
            entries = [.init(wiki: String(name[..<dash]), model: String(name[name.index(after: dash)...]),
                             url: URL(fileURLWithPath: modelFile))]
        } else {
            let directory = ModelDirectory(URL(fileURLWithPath: models ?? environment["REVSCORING_MODELS"] ?? "models"))
            do {
                entries = try directory.discover()
            } catch {
                printError("score-cli: \(error)")
                throw ExitCode(2)
            }
            guard !entries.isEmpty else {
                printError("score-cli: no models in \(directory.url.path)")
                throw ExitCode(2)
            }
        }
        let metrics = ServerMetrics()
        var served: [ServedModel] = []
        for entry in entries {
            do {
                let scorer = try Scorer(name: entry.model, model: try loadModel(entry.url.path))
                served.append(ServedModel(wiki: entry.wiki, scorer: scorer, maxBatchSize: maxBatchSize,
                                          maxLatency: .milliseconds(maxLatencyMS), metrics: metrics,
                                          predictorHost: predictorHost))
            } catch let error as FeatureListError {
                printError("score-cli: \(entry.url.path): \(error)")
                throw ExitCode(2)
            }
        }
        let seconds = timeout ?? environment["AIOHTTP_CLIENT_TIMEOUT"].flatMap(Double.init) ?? 5
        var extractors: [String: APIExtractor] = [:]
        for wiki in Set(served.map(\.wiki)) {
            var options = try APIOptions.parse(["--wiki", wiki, "--timeout", String(seconds)])
            options.api = api ?? environment["WIKI_URL"].map { $0.hasSuffix("api.php") ? $0 : $0 + "/w/api.php" }
            options.host = apiHost ?? environment["WIKI_HOST"]
            var configuration = try options.client().configuration
            configuration.observer = { elapsed, error in metrics.recordAPICall(elapsed: elapsed, error: error) }
            extractors[wiki] = APIExtractor(client: MediaWikiAPIClient(configuration: configuration))
        }
        // Lift Wing's opt-in revision-score events.
        var events: (sink: EventGateSink, stream: String)? = nil
        if let url = environment["EVENTGATE_URL"], !url.isEmpty {
            events = (EventGateSink(url: url, metrics: metrics), environment["EVENTGATE_STREAM"] ?? "mediawiki.revision-score")
        }
        let server = ModelServer(models: served, extractors: extractors, maxBodyBytes: maxBodyBytes, metrics: metrics,
                                 events: events)
        let app = Application(
            router: server.router(), configuration: .init(address: .hostname(host, port: port), serverName: "revscoring-swift"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(Data("http://\(host):\(bound)\n".utf8))
            })
        printError("score-cli: serving \(served.map(\.name).sorted().joined(separator: ", "))")
        try await app.runService()
    }
}
