/// A draft the workflow will not write, as a value with an actionable message.
public struct DraftRefusal: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var clientID: String

    public init(code: String, message: String, clientID: String) {
        self.code = code
        self.message = message
        self.clientID = clientID
    }

    static func noConsent(_ client: Client) -> DraftRefusal {
        DraftRefusal(
            code: "draft.no-consent",
            message: "\(client.name) (\(client.id)) has not consented to AI analysis; no draft was generated. "
                + "Record their consent in the client record to enable drafts.",
            clientID: client.id)
    }

    public var description: String { message }
}
