import Revscoring

/// An error answer: an HTTP status and Lift Wing's `{"error": "..."}` body.
///
/// Every failure a route can meet maps to one of these in one place
/// (``ServerError/init(_:revID:)-(MediaWikiAPIError,_)`` and siblings), so that a bad request
/// never becomes a 500 and the messages stay Lift Wing's.
public struct ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status code.
    public var status: Int
    /// The message (`error` in the body).
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    /// `{"error": message}`.
    public var json: JSONValue { .object([.init("error", .string(message))]) }

    static func badRequest(_ message: String) -> ServerError { ServerError(status: 400, message) }

    /// KServe's answer for an unknown model name.
    static func unknownModel(_ name: String) -> ServerError {
        ServerError(status: 404, "Model with name \(name) does not exist.")
    }

    /// The MediaWiki API failed: down or refusing (503), too slow (504), or answering
    /// something unusable (502).
    init(_ error: MediaWikiAPIError) {
        let message = "An error happened while fetching feature values from the MediaWiki API (\(error))"
        switch error {
        case .timeout: self.init(status: 504, message)
        case .unreachable, .httpStatus: self.init(status: 503, message)
        case .responseTooLarge, .malformedResponse, .apiError: self.init(status: 502, message)
        }
    }

    /// A revision that cannot be scored: Lift Wing's messages (a missing revision keeps the
    /// wording ORES-legacy clients match on).
    init(_ error: ScoringError, revID: Int) {
        switch error {
        case .extraction(.revisionNotFound):
            self.init(status: 400, """
                The MW API does not have any info related to the rev-id provided as input (\(revID)), therefore it is \
                not possible to extract features properly. One possible cause is the deletion of the page related to \
                the revision id. Please contact the ML-Team if you need more info.
                """)
        case let .extraction(e) where e.isMissingResource:
            self.init(status: 400, "Missing resource for rev-id \(revID): \(e)")
        default:
            self.init(status: 400, "Generic error while extracting features for rev-id \(revID): \(error)")
        }
    }
}
