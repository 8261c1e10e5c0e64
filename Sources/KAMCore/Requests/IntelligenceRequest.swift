import Foundation

/// A stored intelligence request (`POST /requests`, seed 000's request/submit): what was asked about which
/// client, by whom, and where it stands. A background task answers it with the prompt its type names.
///
/// The status only moves forward, one conditional update at a time: queued → running → done | failed
/// (queued → failed when a restart finds it stale).
public struct IntelligenceRequest: Codable, Sendable, Hashable, Identifiable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case queued, running, done, failed
    }

    /// Why a request failed: a stable code and a message saying what to do.
    public struct Failure: Codable, Sendable, Hashable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }

    public var id: String
    /// `needs`, `client-intelligence`, `next-best-actions`.
    public var type: String
    public var clientID: String
    /// The caller's parameters as sent (a JSON object).
    public var parameters: [String: JSONValue]
    public var status: Status
    /// The prompt that answers it (`analysis.needs`), and once run, its version (`analysis.needs@1`).
    public var prompt: String
    /// The prompt's validated answer, once done.
    public var result: JSONValue?
    public var error: Failure?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var requestedBy: String?

    public init(
        id: String, type: String, clientID: String, parameters: [String: JSONValue], prompt: String, createdAt: Date,
        requestedBy: String?, status: Status = .queued
    ) {
        self.id = id
        self.type = type
        self.clientID = clientID
        self.parameters = parameters
        self.status = status
        self.prompt = prompt
        self.createdAt = createdAt
        self.requestedBy = requestedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, type, parameters, status, prompt, result, error
        case clientID = "client_id"
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case requestedBy = "requested_by"
    }
}
