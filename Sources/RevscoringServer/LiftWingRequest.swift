import Revscoring

/// A Lift Wing revscoring request: `{"rev_id": N, "extended_output": bool, "event": {...}}`.
public struct LiftWingRequest: Sendable, Equatable {
    /// The revision to score (from `event` when there is one).
    public var revID: Int
    /// Whether to add the trimmed feature values to the response.
    public var extendedOutput: Bool
    /// The source event, if the request carried one (for revision-score events).
    public var event: JSONValue?

    /// Reads a request body, with Lift Wing's validation and messages.
    public init(json: JSONValue) throws(ServerError) {
        guard case .object = json else { throw .badRequest("Please verify that request input is a json dict") }
        let raw: JSONValue?
        if let event = json["event"] {
            guard let schema = event["$schema"]?.stringValue else {
                throw .badRequest("Unsupported event of schema None, the rev_id value cannot be determined.")
            }
            if schema.hasPrefix("/mediawiki/revision/create/1") || schema.hasPrefix("/mediawiki/revision/create/2") {
                raw = event["rev_id"]
            } else if schema.hasPrefix("/mediawiki/page/change/1") {
                raw = event["revision"]?["rev_id"]
            } else {
                throw .badRequest("Unsupported event of schema \(schema), the rev_id value cannot be determined.")
            }
            self.event = event
        } else {
            raw = json["rev_id"]
            self.event = nil
        }
        guard let raw else { throw .badRequest(#"Expected "rev_id" in input data."#) }
        guard case let .int(revID) = raw else { throw .badRequest(#"Expected "rev_id" to be an integer."#) }
        self.revID = revID
        switch json["extended_output"] {
        case nil, .null?: extendedOutput = false
        case let .bool(b)?: extendedOutput = b
        default: throw .badRequest(#"Expected "extended_output" to be a boolean."#)
        }
    }
}
