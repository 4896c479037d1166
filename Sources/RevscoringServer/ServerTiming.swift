import Synchronization

/// Where a scoring request's time went, for the `Server-Timing` response header (W3C Server
/// Timing): `mwapi;dur=…` is the time spent waiting for the MediaWiki API, `total;dur=…` the
/// whole handler, both in milliseconds.
///
/// `total − mwapi` is the latency the server itself adds to the API calls it has to make
/// (reading the body, extraction, scoring, the answer). Operators and `bench/server.sh` read
/// it per request; it cannot be had from client-side percentiles, which also hold the tail of
/// every loopback round trip to the API.
final class RequestTiming: Sendable {
    /// The timing of the request this task serves (bound by ``ModelServer/scoringRoute``).
    @TaskLocal static var current: RequestTiming?

    private let mediaWiki = Mutex(Duration.zero)

    /// Adds time spent waiting for MediaWiki API answers (revision, parent and user of one revision).
    func addMediaWiki(_ elapsed: Duration) { mediaWiki.withLock { $0 += elapsed } }

    /// MediaWiki API time so far.
    var mediaWikiTime: Duration { mediaWiki.withLock { $0 } }

    /// The header's value, e.g. `mwapi;dur=0.412, total;dur=0.603`.
    static func header(total: Duration, mediaWiki: Duration) -> String {
        "mwapi;dur=\(milliseconds(mediaWiki)), total;dur=\(milliseconds(total))"
    }

    /// Milliseconds with microsecond resolution ("0.412"), without Foundation's formatter.
    static func milliseconds(_ d: Duration) -> String {
        let micros = max(0, d.components.seconds * 1_000_000 + d.components.attoseconds / 1_000_000_000_000)
        let fraction = String(micros % 1000)
        return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
