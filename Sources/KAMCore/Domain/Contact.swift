import Foundation

/// A person at a client.
public struct Contact: Codable, Sendable, Hashable {
    public var id: Int64?
    public var clientID: String
    public var externalID: String?
    public var name: String
    public var email: String?
    public var phone: String?
    public var title: String?
    public var role: ContactRole

    public init(
        id: Int64? = nil, clientID: String, externalID: String? = nil, name: String, email: String? = nil,
        phone: String? = nil, title: String? = nil, role: ContactRole = .user
    ) {
        self.id = id
        self.clientID = clientID
        self.externalID = externalID
        self.name = name
        self.email = email
        self.phone = phone
        self.title = title
        self.role = role
    }
}
