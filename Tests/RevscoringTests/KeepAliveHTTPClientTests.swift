import NIOCore
import NIOPosix
@testable import Revscoring
import Testing

/// A TCP server that answers every request it reads with `reply` (raw bytes, possibly not
/// HTTP) and then closes the connection when `close` is set: servers that misbehave the ways
/// a real API endpoint or proxy can.
private final class CannedReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reply: String
    let close: Bool

    init(reply: String, close: Bool) {
        self.reply = reply
        self.close = close
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Answer once per request head (requests here have no body).
        let bytes = unwrapInboundIn(data)
        let requests = max(1, String(buffer: bytes).components(separatedBy: "\r\n\r\n").count - 1)
        for _ in 0..<requests where !reply.isEmpty {
            context.write(wrapOutboundOut(ByteBuffer(string: reply)), promise: nil)
        }
        if close {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer()), promise: nil)
            context.close(promise: nil)
        } else {
            context.flush()
        }
    }
}

/// Runs `body` with the `api.php` URL of a server answering `reply`.
private func withCannedServer<T: Sendable>(
    reply: String, close: Bool, _ body: @Sendable (String) async throws -> T
) async throws -> T {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(CannedReplyHandler(reply: reply, close: close))
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    do {
        let value = try await body("http://127.0.0.1:\(port)/w/api.php")
        try await channel.close()
        return value
    } catch {
        try? await channel.close()
        throw error
    }
}

@Suite("keep-alive HTTP transport against misbehaving servers")
struct KeepAliveHTTPClientTests {
    /// One query with one attempt; the error it ends in.
    private func failure(_ url: String, timeout: Duration = .seconds(5)) async -> MediaWikiAPIError? {
        do {
            _ = try await testClient(url, timeout: timeout, attempts: 1).query([("meta", "siteinfo")])
            return nil
        } catch {
            return error
        }
    }

    @Test("a reply that is not HTTP is an unreachable API, not a hang")
    func notHTTP() async throws {
        let error = try await withCannedServer(reply: "HELLO\r\n\r\n", close: false) { await failure($0) }
        guard case .unreachable? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
    }

    @Test("a connection closed in the middle of a body is an error naming it")
    func truncatedBody() async throws {
        let reply = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"batchcomplete\""
        let error = try await withCannedServer(reply: reply, close: true) { await failure($0) }
        #expect(error?.kind == "unreachable")
        #expect(error?.description.contains("broke during the response") == true, "\(String(describing: error))")
    }

    @Test("a server that closes without answering is unreachable")
    func closedWithoutAnswer() async throws {
        let error = try await withCannedServer(reply: "", close: true) { await failure($0) }
        #expect(error?.description.contains("closed the connection before answering") == true, "\(String(describing: error))")
    }

    @Test("a server that never answers is a timeout")
    func silent() async throws {
        let error = try await withCannedServer(reply: "", close: false) { await failure($0, timeout: .milliseconds(200)) }
        guard case .timeout? = error else { Issue.record("expected a timeout, got \(String(describing: error))"); return }
    }

    @Test("answers with Connection: close, or read to the end of the connection, are complete answers")
    func connectionClose() async throws {
        let body = #"{"batchcomplete": "", "query": {}}"#
        for (reply, close) in [
            ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)", true),
            ("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n\(body)", true),
            ("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)", false),
        ] {
            try await withCannedServer(reply: reply, close: close) { url in
                for _ in 0..<3 {
                    let json = try await testClient(url, attempts: 1).query([("meta", "siteinfo")])
                    #expect(json["batchcomplete"] == .string(""))
                }
            }
        }
    }

    @Test("an HTTP error status is reported with its code")
    func status() async throws {
        let error = try await withCannedServer(reply: "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", close: false) {
            await failure($0)
        }
        guard case .httpStatus(404, _)? = error else { Issue.record("expected HTTP 404, got \(String(describing: error))"); return }
    }
}
