import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// `GET` over plain-HTTP/1.1 keep-alive connections to one host: the MediaWiki API client's
/// transport for `http://` endpoints (a service mesh's local proxy, an internal API host, the
/// loopback fake in tests and benchmarks).
///
/// Lift Wing makes three API calls per scored revision, so the HTTP client is a large part of a
/// request's CPU: AsyncHTTPClient's request state machines, pool manager, cancellation actor and
/// streamed body cost about an eighth of a small request (perf). This client does only what
/// those calls need — one request at a time per connection, the whole answer collected up to a
/// limit, a deadline — and leaves TLS, redirects, proxies and HTTP/2 to AsyncHTTPClient
/// (`https://` endpoints).
final class KeepAliveHTTPClient: Sendable {
    /// What one `GET` got: the status and the whole body.
    struct Response: Sendable {
        var status: Int
        var body: ByteBuffer
    }

    /// Why a `GET` got no response.
    enum Failure: Error, Equatable {
        /// The deadline passed first.
        case timeout
        /// The body is longer than the limit.
        case tooLarge
        /// The connection closed (or could not be written) before a response began: on a
        /// reused connection, the server may have closed it while idle.
        case closedBeforeResponse
        /// No connection, or it broke during the response.
        case connection(String)

        /// Says what happened, for error messages.
        var reason: String {
            switch self {
            case .timeout: "no answer in time"
            case .tooLarge: "the answer is too large"
            case .closedBeforeResponse: "the server closed the connection before answering"
            case .connection(let reason): reason
            }
        }
    }

    let host: String
    let port: Int
    private let group: any EventLoopGroup
    /// Connections that finished a response and may take the next request.
    private let idle = NIOLockedValueBox<[Connection]>([])
    /// Idle connections kept at most (more are closed when they finish).
    private let maxIdle = 64

    private struct Connection: Sendable {
        let channel: any Channel
        let collector: NIOLoopBound<ResponseCollector>
    }

    /// The process-wide client of `host:port`, so that every API client of one endpoint shares
    /// its connections.
    static func shared(host: String, port: Int) -> KeepAliveHTTPClient {
        sharedClients.withLockedValue { clients in
            if let client = clients["\(host):\(port)"] { return client }
            let client = KeepAliveHTTPClient(host: host, port: port)
            clients["\(host):\(port)"] = client
            return client
        }
    }

    private static let sharedClients = NIOLockedValueBox<[String: KeepAliveHTTPClient]>([:])

    /// A client for `host:port`; connections live on `group`'s event loops.
    init(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.group = group
    }

    /// `GET target` (path and query) with `headers` (which must include `Host`).
    ///
    /// A request on a reused connection that breaks before any response arrives is sent once
    /// more on a new connection: the server may have closed the idle connection as the
    /// request went out, which says nothing about the service.
    func get(_ target: String, headers: HTTPHeaders, timeout: TimeAmount, maxBytes: Int) async throws(Failure) -> Response {
        let deadline = NIODeadline.now() + timeout
        if let reused = takeIdle() {
            do {
                return try await send(target, headers: headers, on: reused, deadline: deadline, maxBytes: maxBytes)
            } catch .closedBeforeResponse {
                // fall through to a new connection
            }
        }
        let connection = try await connect(deadline: deadline)
        return try await send(target, headers: headers, on: connection, deadline: deadline, maxBytes: maxBytes)
    }

    /// An open idle connection, one on the calling thread's event loop first.
    private func takeIdle() -> Connection? {
        let current = MultiThreadedEventLoopGroup.currentEventLoop
        return idle.withLockedValue { idle in
            idle.removeAll { !$0.channel.isActive }
            if let current, let i = idle.lastIndex(where: { $0.channel.eventLoop === current }) {
                return idle.remove(at: i)
            }
            return idle.popLast()
        }
    }

    private func connect(deadline: NIODeadline) async throws(Failure) -> Connection {
        let eventLoop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.next()
        let remaining = deadline - .now()
        guard remaining > .zero else { throw .timeout }
        do {
            let channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(remaining)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                    }
                }
                .connect(host: host, port: port).get()
            let collector = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ResponseCollector.self), eventLoop: channel.eventLoop)
            }.get()
            return Connection(channel: channel, collector: collector)
        } catch ChannelError.connectTimeout {
            throw .timeout
        } catch {
            throw .connection(String(describing: error))
        }
    }

    private func send(
        _ target: String, headers: HTTPHeaders, on connection: Connection, deadline: NIODeadline, maxBytes: Int
    ) async throws(Failure) -> Response {
        let channel = connection.channel
        let collected: ResponseCollector.Collected
        do {
            let request: @Sendable () -> EventLoopFuture<ResponseCollector.Collected> = {
                // On the event loop, `isActive` is current: a connection closed after it was
                // taken from the pool fails here at once (and is replaced) instead of waiting
                // for a response that cannot come.
                guard channel.isActive else {
                    return channel.eventLoop.makeFailedFuture(Failure.closedBeforeResponse)
                }
                let collector = connection.collector.value
                let promise = channel.eventLoop.makePromise(of: ResponseCollector.Collected.self)
                collector.expect(promise, maxBytes: maxBytes, deadline: deadline, channel: channel)
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                let written = channel.eventLoop.makePromise(of: Void.self)
                written.futureResult.whenFailure { _ in connection.collector.value.fail(.closedBeforeResponse) }
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: written)
                return promise.futureResult
            }
            // The server's tasks run on the event loops, and the pool hands out a connection of
            // the caller's loop first: then the request is written now, not a loop tick later.
            let eventLoop = channel.eventLoop
            collected = try await (eventLoop.inEventLoop ? request() : eventLoop.flatSubmit(request)).get()
        } catch let failure as Failure {
            channel.close(promise: nil)
            throw failure
        } catch {
            channel.close(promise: nil)
            throw .connection(String(describing: error))
        }
        if collected.reusable {
            let kept = idle.withLockedValue { idle -> Bool in
                guard idle.count < maxIdle else { return false }
                idle.append(connection)
                return true
            }
            if !kept { channel.close(promise: nil) }
        } else {
            channel.close(promise: nil)
        }
        return collected.response
    }
}

/// Collects one response at a time on a client connection and completes its promise.
final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    struct Collected: Sendable {
        var response: KeepAliveHTTPClient.Response
        /// The server keeps the connection open for another request.
        var reusable: Bool
    }

    private var promise: EventLoopPromise<Collected>?
    private var maxBytes = 0
    private var status = 0
    private var keepAlive = true
    private var body: ByteBuffer?
    private var timeout: Scheduled<Void>?

    /// Arms the collector for the response to the request about to be written.
    func expect(_ promise: EventLoopPromise<Collected>, maxBytes: Int, deadline: NIODeadline, channel: any Channel) {
        self.promise = promise
        self.maxBytes = maxBytes
        status = 0
        body = nil
        let loopBound = NIOLoopBound(self, eventLoop: channel.eventLoop)
        timeout = channel.eventLoop.scheduleTask(deadline: deadline) {
            loopBound.value.fail(.timeout)
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = Int(head.status.code)
            keepAlive = head.isKeepAlive
            body = context.channel.allocator.buffer(capacity: 0)
        case .body(var part):
            guard promise != nil else { return }
            if (body?.readableBytes ?? 0) + part.readableBytes > maxBytes {
                fail(.tooLarge)
                context.close(promise: nil)
                return
            }
            body?.writeBuffer(&part)
        case .end:
            takePromise()?.succeed(Collected(response: .init(status: status, body: body ?? ByteBuffer()), reusable: keepAlive))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(body == nil ? .closedBeforeResponse : .connection("the connection broke during the response"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A truncated answer arrives here as the HTTP decoder's error, before the close.
        fail(.connection((body == nil ? "" : "the connection broke during the response: ") + String(describing: error)))
        context.close(promise: nil)
    }

    /// Fails the awaited response, if any (once).
    func fail(_ failure: KeepAliveHTTPClient.Failure) {
        takePromise()?.fail(failure)
    }

    /// The awaited response's promise, disarmed (its deadline cancelled), so that it is
    /// completed once: by the end of the response or by the first failure.
    private func takePromise() -> EventLoopPromise<Collected>? {
        guard let promise else { return nil }
        self.promise = nil
        timeout?.cancel()
        return promise
    }
}
