import Foundation
import KAMCore
import KAMRuntime

/// What every signed-in page shows around its content: the user, the navigation (analytics only for managers and
/// admins) and the CSRF token every form carries.
struct WebFrame: Encodable, Sendable {
    struct Link: Encodable, Sendable {
        var title: String
        var href: String
        var current: Bool
    }

    var title: String
    var userID: String
    var userName: String
    var role: String
    var csrf: String
    var nav: [Link]

    init(title: String, section: String, signedIn: WebSessionService.SignedIn) {
        self.title = title
        self.userID = signedIn.session.userID
        self.userName = signedIn.name
        self.role = signedIn.role.rawValue
        self.csrf = signedIn.session.csrfToken
        var links: [(String, String)] = [
            ("Today", "today"), ("Clients", "clients"), ("Leads", "leads"), ("Campaigns", "campaigns"), ("Review", "review"),
        ]
        if signedIn.role != .member { links.append(("Analytics", "analytics")) }
        links.append(("Prompts", "prompts"))
        self.nav = links.map { Link(title: $0.0, href: "/app/\($0.1)", current: $0.1 == section) }
    }

    /// The template's context: `{"frame": ..., "page": ...}`.
    func context<Page: Encodable>(_ page: Page) throws -> JSONValue {
        .object(["frame": try Self.json(self), "page": try Self.json(page)])
    }

    /// `value` as JSON (default keys: the view types name their fields as the templates read them), read back by
    /// KAM's own JSON parser rather than a second pass of Foundation's decoder.
    static func json<Value: Encodable>(_ value: Value) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSONValue.parse(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
