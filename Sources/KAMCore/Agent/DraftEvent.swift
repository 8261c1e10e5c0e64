import Foundation

/// One entry of a draft's history.
public struct DraftEvent: Sendable, Hashable, Codable {
    public var at: Date
    public var action: String
    public var from: DraftStatus?
    public var to: DraftStatus
    public var user: String?
    public var detail: String?

    public init(at: Date, action: String, from: DraftStatus?, to: DraftStatus, user: String?, detail: String?) {
        self.at = at
        self.action = action
        self.from = from
        self.to = to
        self.user = user
        self.detail = detail
    }
}
