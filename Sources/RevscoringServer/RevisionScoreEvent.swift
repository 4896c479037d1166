import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Revscoring

/// A `/mediawiki/revision/score/3.0.0` event, built from the `mediawiki/revision/create` or
/// `mediawiki/page/change` event a request carried, as Lift Wing's `events.py` builds it.
///
/// One fix on Lift Wing's shape: for page/change events Lift Wing looks for `rev_parent_id`
/// at the top level, where the schema never has it; it is read from `revision` here.
public enum RevisionScoreEvent {
    /// Why no event can be built from a source event.
    public struct BuildError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The score event for `score` of `model` (version `version`), or why none can be built.
    public static func make(source: JSONValue, stream: String, model: String, version: String?, score: Score,
                            id: String = UUID().uuidString.lowercased()) throws(BuildError) -> JSONValue {
        guard let schema = source["$schema"]?.stringValue else { throw BuildError(description: "the source event has no $schema") }
        func need(_ value: JSONValue?, _ path: String) throws(BuildError) -> JSONValue {
            guard let value else { throw BuildError(description: "the source event has no \(path)") }
            return value
        }
        var members: [JSONValue.Member]
        if schema.hasPrefix("/mediawiki/revision/create/1") || schema.hasPrefix("/mediawiki/revision/create/2") {
            let timestamp = try need(source["rev_timestamp"], "rev_timestamp")
            members = [
                .init("$schema", .string("/mediawiki/revision/score/3.0.0")), .init("dt", timestamp),
                .init("meta", meta(source, stream: stream, id: id)),
                .init("database", try need(source["database"], "database")),
                .init("page_id", try need(source["page_id"], "page_id")),
                .init("page_title", try need(source["page_title"], "page_title")),
                .init("page_namespace", try need(source["page_namespace"], "page_namespace")),
                .init("page_is_redirect", try need(source["page_is_redirect"], "page_is_redirect")),
                .init("rev_id", try need(source["rev_id"], "rev_id")), .init("rev_timestamp", timestamp),
            ]
            if let performer = source["performer"] { members.append(.init("performer", performer)) }
            if let parent = source["rev_parent_id"] { members.append(.init("rev_parent_id", parent)) }
        } else if schema.hasPrefix("/mediawiki/page/change/1") {
            let page = try need(source["page"], "page")
            let revision = try need(source["revision"], "revision")
            let performer = try need(source["performer"], "performer")
            members = [
                .init("$schema", .string("/mediawiki/revision/score/3.0.0")), .init("dt", try need(source["dt"], "dt")),
                .init("meta", meta(source, stream: stream, id: id)),
                .init("database", try need(source["wiki_id"], "wiki_id")),
                .init("page_id", try need(page["page_id"], "page.page_id")),
                .init("page_title", try need(page["page_title"], "page.page_title")),
                .init("page_namespace", try need(page["namespace_id"], "page.namespace_id")),
                .init("page_is_redirect", try need(page["is_redirect"], "page.is_redirect")),
                .init("rev_id", try need(revision["rev_id"], "revision.rev_id")),
                .init("rev_timestamp", try need(revision["rev_dt"], "revision.rev_dt")),
                .init("performer", .object([
                    .init("user_text", try need(performer["user_text"], "performer.user_text")),
                    .init("user_groups", try need(performer["groups"], "performer.groups")),
                    .init("user_is_bot", try need(performer["is_bot"], "performer.is_bot")),
                ])),
            ]
            if let parent = revision["rev_parent_id"] { members.append(.init("rev_parent_id", parent)) }
        } else {
            throw BuildError(description: "unsupported event schema \(schema)")
        }
        // The schema's prediction is an array: a boolean becomes ["true"] / ["false"].
        let prediction: JSONValue
        switch score.prediction {
        case let .bool(b): prediction = .array([.string(b ? "true" : "false")])
        default: prediction = .array([score.prediction.json])
        }
        members.append(.init("scores", .object([.init(model, .object([
            .init("model_name", .string(model)), .init("model_version", version.map(JSONValue.string) ?? .null),
            .init("prediction", prediction),
            .init("probability", .object(score.probability.map { .init($0.label.description, .double($0.value)) })),
        ]))])))
        return .object(members)
    }

    /// `meta`: the stream, a new id, and the source's request_id, domain and uri.
    static func meta(_ source: JSONValue, stream: String, id: String) -> JSONValue {
        var members: [JSONValue.Member] = [.init("stream", .string(stream)), .init("id", .string(id))]
        for key in ["request_id", "domain", "uri"] {
            if let value = source["meta"]?[key] { members.append(.init(key, value)) }
        }
        return .object(members)
    }
}

/// Sends events to EventGate in the background: fire-and-forget for the request that made
/// them, through a bounded queue (a slow or down EventGate drops events, counted, instead of
/// holding memory or requests), one POST at a time.
public final class EventGateSink: Sendable {
    private let continuation: AsyncStream<JSONValue>.Continuation
    private let worker: Task<Void, Never>
    private let metrics: ServerMetrics?

    /// A sink posting to `url` (EventGate's `/v1/events`), queueing at most `capacity` events.
    public init(url: String, capacity: Int = 1000, timeout: Duration = .seconds(5),
                userAgent: String = MediaWikiAPIClient.defaultUserAgent, metrics: ServerMetrics? = nil,
                httpClient: HTTPClient = MediaWikiAPIClient.sharedHTTPClient, logger: Logger = Logger(label: "eventgate")) {
        let (stream, continuation) = AsyncStream<JSONValue>.makeStream(bufferingPolicy: .bufferingOldest(capacity))
        self.continuation = continuation
        self.metrics = metrics
        worker = Task {
            for await event in stream {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: userAgent)
                request.body = .bytes(ByteBuffer(string: event.serialized()))
                do {
                    let response = try await httpClient.execute(request, timeout: TimeAmount(timeout))
                    _ = try? await response.body.collect(upTo: 1 << 20)
                    let ok = (200..<300).contains(response.status.code)
                    metrics?.recordEvent(ok ? "sent" : "rejected")
                    if !ok { logger.error("EventGate answered HTTP \(response.status.code) to a revision-score event") }
                } catch {
                    metrics?.recordEvent("failed")
                    logger.error("EventGate could not be reached: \(error)")
                }
            }
        }
    }

    deinit {
        continuation.finish()
    }

    /// Queues an event; drops it (and counts the drop) when the queue is full.
    public func send(_ event: JSONValue) {
        if case .dropped = continuation.yield(event) { metrics?.recordEvent("dropped") }
    }

    /// Stops taking events and waits until the queued ones are sent.
    public func drain() async {
        continuation.finish()
        await worker.value
    }
}
