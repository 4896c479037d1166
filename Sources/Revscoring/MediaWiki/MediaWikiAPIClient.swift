import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A client for the MediaWiki Action API (`api.php`), as revscoring's `mwapi` session uses
/// it: `GET` queries with `format=json&formatversion=1`.
///
/// Bounded: every call has a deadline, 5xx answers and connection failures are retried a
/// few times with backoff, and answers larger than ``Configuration/maxResponseBytes`` are
/// refused. `Sendable`: share one client between tasks.
public struct MediaWikiAPIClient: Sendable {
    /// Where and how to reach the API.
    public struct Configuration: Sendable {
        /// The `api.php` URL, e.g. `https://en.wikipedia.org/w/api.php`.
        public var endpoint: String
        /// A `Host` header sent instead of the URL's host: Lift Wing calls an internal API
        /// endpoint with the public wiki's host name (`WIKI_HOST`).
        public var host: String?
        /// The User-Agent: Wikimedia's API etiquette asks for one that names the tool.
        public var userAgent: String
        /// Deadline of one HTTP attempt (Lift Wing's `AIOHTTP_CLIENT_TIMEOUT`, 5 s).
        public var timeout: Duration
        /// Attempts per query, counting the first (retries happen on 5xx and connection errors).
        public var maxAttempts: Int
        /// Delay before the first retry; doubled before each further one.
        public var retryDelay: Duration
        /// Largest answer accepted: a query returns at most 50 revisions' text.
        public var maxResponseBytes: Int
        /// Called after every HTTP attempt with its duration and its error (`nil`: success):
        /// where servers hook their API latency and error metrics.
        public var observer: (@Sendable (_ elapsed: Duration, _ error: MediaWikiAPIError?) -> Void)?

        /// A configuration with Lift Wing's defaults.
        public init(endpoint: String, host: String? = nil, userAgent: String = MediaWikiAPIClient.defaultUserAgent,
                    timeout: Duration = .seconds(5), maxAttempts: Int = 3, retryDelay: Duration = .milliseconds(100),
                    maxResponseBytes: Int = 256 << 20) {
            self.endpoint = endpoint
            self.host = host
            self.userAgent = userAgent
            self.timeout = timeout
            self.maxAttempts = max(1, maxAttempts)
            self.retryDelay = retryDelay
            self.maxResponseBytes = maxResponseBytes
        }
    }

    /// Names the project, as https://meta.wikimedia.org/wiki/User-Agent_policy asks.
    public static let defaultUserAgent = "revscoring-swift/0.1 (https://github.com/wikimedia/revscoring; edit-quality scoring)"

    /// The configuration in use.
    public let configuration: Configuration
    private let httpClient: HTTPClient
    /// For an `http://` endpoint: its keep-alive client, the length of `http://authority` in
    /// the endpoint (what precedes a request's target) and the default `Host` header.
    private let plain: (client: KeepAliveHTTPClient, prefixLength: Int, hostHeader: String)?

    /// The process-wide HTTP client: AsyncHTTPClient's defaults, except that a refused
    /// connection fails at once instead of being retried until the deadline (this client
    /// retries whole queries itself, a bounded number of times). Never shut down, like
    /// `HTTPClient.shared`.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(5)
        configuration.decompression = .enabled(limit: .ratio(64))
        // No tracing of API calls (the server sets up no tracer): with the default no-op tracer,
        // AsyncHTTPClient still built span attributes for every request (~3% of a request).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A client. With the default `httpClient` (``sharedHTTPClient``), queries to an
    /// `http://` endpoint go over this module's own keep-alive connections (shared by every
    /// client of the endpoint) and others over AsyncHTTPClient, which brings TLS, redirects
    /// and proxies; a client passed in (its own proxy or TLS settings) takes every query.
    public init(configuration: Configuration, httpClient: HTTPClient = MediaWikiAPIClient.sharedHTTPClient) {
        self.configuration = configuration
        self.httpClient = httpClient
        if httpClient === Self.sharedHTTPClient, let endpoint = PlainHTTPEndpoint(configuration.endpoint) {
            plain = (KeepAliveHTTPClient.shared(host: endpoint.host, port: endpoint.port), endpoint.prefixLength,
                     endpoint.authority)
        } else {
            plain = nil
        }
    }

    /// Runs `action=query` with `parameters` and returns the parsed answer.
    ///
    /// - Throws: ``MediaWikiAPIError`` when the API cannot be reached in time, answers with an
    ///   HTTP error or an API `error` object, or answers with something that is not JSON.
    public func query(_ parameters: [(String, String)]) async throws(MediaWikiAPIError) -> JSONValue {
        let url = requestURL(for: [("action", "query")] + parameters + [("format", "json"), ("formatversion", "1")])
        var delay = configuration.retryDelay
        var attempt = 1
        while true {
            do {
                return try await attemptOnce(url)
            } catch where error.isRetryable && attempt < configuration.maxAttempts {
                attempt += 1
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
    }

    /// The URL of a request: the endpoint with percent-encoded parameters.
    ///
    /// Written byte by byte into one buffer: built with interpolation and `joined`, the URL
    /// cost ~2% of a small scoring request's CPU (three per request).
    func requestURL(for parameters: [(String, String)]) -> String {
        var out = Array(configuration.endpoint.utf8)
        out.reserveCapacity(out.count + 16 + parameters.reduce(0) { $0 + $1.0.utf8.count + 3 * $1.1.utf8.count + 2 })
        var separator = configuration.endpoint.utf8.contains(UInt8(ascii: "?")) ? UInt8(ascii: "&") : UInt8(ascii: "?")
        for (name, value) in parameters {
            out.append(separator)
            separator = UInt8(ascii: "&")
            Self.appendPercentEncoded(name, to: &out)
            out.append(UInt8(ascii: "="))
            Self.appendPercentEncoded(value, to: &out)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func attemptOnce(_ requestURL: String) async throws(MediaWikiAPIError) -> JSONValue {
        guard let observer = configuration.observer else { return try await fetch(requestURL) }
        let started = ContinuousClock.now
        do {
            let json = try await fetch(requestURL)
            observer(ContinuousClock.now - started, nil)
            return json
        } catch {
            observer(ContinuousClock.now - started, error)
            throw error
        }
    }

    private func fetch(_ requestURL: String) async throws(MediaWikiAPIError) -> JSONValue {
        // Errors name the endpoint: a query string holds up to 50 rev ids.
        let url = configuration.endpoint
        if let plain {
            let target = String(decoding: requestURL.utf8.dropFirst(plain.prefixLength), as: UTF8.self)
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: configuration.host ?? plain.hostHeader)
            headers.add(name: "User-Agent", value: configuration.userAgent)
            headers.add(name: "Accept", value: "application/json")
            // No Accept-Encoding: this transport has no decompressor (its hosts are near).
            let response: KeepAliveHTTPClient.Response
            do {
                response = try await plain.client.get(
                    target.hasPrefix("/") ? target : "/" + target, headers: headers,
                    timeout: TimeAmount(configuration.timeout), maxBytes: configuration.maxResponseBytes)
            } catch {
                switch error {
                case .timeout: throw .timeout(url: url)
                case .tooLarge: throw .responseTooLarge(url: url, limit: configuration.maxResponseBytes)
                case .closedBeforeResponse, .connection: throw .unreachable(url: url, reason: error.reason)
                }
            }
            // A redirect (a public wiki's http:// URL answers 301 to https://): the query is
            // asked again of AsyncHTTPClient, which follows redirects, as it did before this
            // transport existed.
            if (300..<400).contains(response.status) { return try await fetchOverAsyncHTTPClient(requestURL) }
            guard (200..<300).contains(response.status) else { throw .httpStatus(response.status, url: url) }
            return try Self.parse(response.body, url: url)
        }
        return try await fetchOverAsyncHTTPClient(requestURL)
    }

    private func fetchOverAsyncHTTPClient(_ requestURL: String) async throws(MediaWikiAPIError) -> JSONValue {
        let url = configuration.endpoint
        var request = HTTPClientRequest(url: requestURL)
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let host = configuration.host { request.headers.replaceOrAdd(name: "Host", value: host) }
        let body: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: TimeAmount(configuration.timeout))
            guard (200..<300).contains(response.status.code) else {
                throw MediaWikiAPIError.httpStatus(Int(response.status.code), url: url)
            }
            body = try await response.body.collect(upTo: configuration.maxResponseBytes)
        } catch let error as MediaWikiAPIError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout
            || error == .connectTimeout {
            throw .timeout(url: url)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw .responseTooLarge(url: url, limit: configuration.maxResponseBytes)
        } catch {
            throw .unreachable(url: url, reason: String(describing: error))
        }
        return try Self.parse(body, url: url)
    }

    /// The JSON of an answer, or the API's own error in it.
    private static func parse(_ body: ByteBuffer, url: String) throws(MediaWikiAPIError) -> JSONValue {
        let json: JSONValue
        do {
            json = try JSONValue.parse(body.readableBytesView)
        } catch {
            throw .malformedResponse(url: url, reason: error.description)
        }
        if let apiError = json["error"] {
            throw .apiError(code: apiError["code"]?.stringValue ?? "unknown", info: apiError["info"]?.stringValue ?? "")
        }
        return json
    }

    /// RFC 3986 unreserved characters stay; everything else is `%XX` of its UTF-8 bytes.
    static func percentEncoded(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        appendPercentEncoded(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` percent-encoded as ``percentEncoded(_:)`` does.
    ///
    /// Runs of unreserved bytes are copied whole and tested against a 128-bit set: appended
    /// byte by byte through a `switch`, this was ~7,000 instructions per API call (callgrind).
    static func appendPercentEncoded(_ s: String, to out: inout [UInt8]) {
        @inline(__always) func hex(_ v: UInt8) -> UInt8 { v < 10 ? v + 0x30 : v - 10 + 0x41 }
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (i, b) in bytes.enumerated() where !isUnreserved(b) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                out.append(UInt8(ascii: "%"))
                out.append(hex(b >> 4))
                out.append(hex(b & 0xF))
                runStart = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
    }

    /// RFC 3986's unreserved characters `A-Z a-z 0-9 - . _ ~`, as bits of two words.
    @inline(__always) static func isUnreserved(_ b: UInt8) -> Bool {
        // Bits 45 `-`, 46 `.`, 48-57 `0-9` of the low word; 65-90, 95 `_`, 97-122, 126 `~` of the high.
        let low: UInt64 = 0x03FF_6000_0000_0000
        let high: UInt64 = 0x47FF_FFFE_87FF_FFFE
        return b < 64 ? (low >> UInt64(b)) & 1 != 0 : b < 128 && (high >> UInt64(b - 64)) & 1 != 0
    }
}

/// An `http://host[:port]/path` endpoint, split for ``KeepAliveHTTPClient``.
struct PlainHTTPEndpoint: Equatable {
    /// The host to connect to (no brackets around an IPv6 address).
    var host: String
    var port: Int
    /// `host[:port]` as written: the default `Host` header.
    var authority: String
    /// UTF-8 length of `http://authority`: a request's target follows it.
    var prefixLength: Int

    /// Nil unless `url` is `http://` with a host and a valid port (and no user info).
    init?(_ url: String) {
        let scheme = "http://"
        guard url.utf8.count > scheme.utf8.count, url.lowercased().hasPrefix(scheme) else { return nil }
        let rest = url.utf8.dropFirst(scheme.utf8.count)
        let end = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        let authority = String(decoding: rest[rest.startIndex..<end], as: UTF8.self)
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = Substring(authority)
        var port = 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            host = authority[..<colon]
            port = p
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        self.host = String(host)
        self.port = port
        self.authority = authority
        self.prefixLength = scheme.utf8.count + authority.utf8.count
    }
}

/// Why the MediaWiki API gave no usable answer. These are failures of the service, not of
/// the revision: servers map them to 502/503/504, the CLI to a non-zero exit.
public enum MediaWikiAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No connection, or it broke (after the retries).
    case unreachable(url: String, reason: String)
    /// No answer within the configured timeout.
    case timeout(url: String)
    /// An HTTP status other than 2xx (after the retries, for 5xx).
    case httpStatus(Int, url: String)
    /// An answer larger than the configured limit.
    case responseTooLarge(url: String, limit: Int)
    /// An answer that is not JSON.
    case malformedResponse(url: String, reason: String)
    /// The API's own `{"error": {"code", "info"}}`.
    case apiError(code: String, info: String)

    /// A short name of the kind of failure, for metric labels.
    public var kind: String {
        switch self {
        case .unreachable: return "unreachable"
        case .timeout: return "timeout"
        case .httpStatus: return "http_status"
        case .responseTooLarge: return "too_large"
        case .malformedResponse: return "malformed"
        case .apiError: return "api_error"
        }
    }

    /// Worth another attempt: the service may come back.
    var isRetryable: Bool {
        switch self {
        case .unreachable: return true
        case let .httpStatus(code, _): return code >= 500
        default: return false
        }
    }

    public var description: String {
        switch self {
        case let .unreachable(url, reason): return "the MediaWiki API at \(url) could not be reached: \(reason)"
        case let .timeout(url): return "the MediaWiki API did not answer in time (\(url))"
        case let .httpStatus(code, url): return "the MediaWiki API answered HTTP \(code) (\(url))"
        case let .responseTooLarge(url, limit): return "the MediaWiki API's answer is larger than \(limit) bytes (\(url))"
        case let .malformedResponse(url, reason): return "the MediaWiki API's answer is not JSON (\(url)): \(reason)"
        case let .apiError(code, info): return "the MediaWiki API refused the query: \(code): \(info)"
        }
    }
}
