import KAMCore

/// One recorded call as stored on disk: `<fingerprint>.json` in the replay directory.
public struct ReplayRecord: Codable, Sendable, Hashable {
    /// Format version, for readers of old recordings.
    public var version: Int
    public var fingerprint: String
    /// The normalized request, so a person can see what was asked.
    public var request: JSONValue
    public var response: ChatResponse

    public init(request: ChatRequest, response: ChatResponse) {
        self.version = 1
        self.fingerprint = request.fingerprint
        self.request = request.normalized
        self.response = response
    }
}
