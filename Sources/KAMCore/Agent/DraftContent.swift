/// The text of a draft: what the model wrote, or what a person approved.
public struct DraftContent: Codable, Sendable, Hashable {
    public var subject: String
    public var body: String
    public var callToAction: String

    public init(subject: String, body: String, callToAction: String = "") {
        self.subject = subject
        self.body = body
        self.callToAction = callToAction
    }

    /// The message as a person would send it: body, then the call to action when it is not already in the body.
    public var plainText: String {
        if callToAction.isEmpty || body.contains(callToAction) { return body }
        return body + "\n\n" + callToAction
    }
}
