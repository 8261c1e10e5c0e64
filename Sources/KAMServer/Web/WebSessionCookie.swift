import Foundation
import HTTPTypes
import Hummingbird
import KAMRuntime

/// The web page's session cookie: `kam_session`, HttpOnly, SameSite=Strict, scoped to the whole server (the page's
/// script calls the JSON routes with it), Secure when the request came over TLS (`kam serve` speaks plain HTTP on
/// 127.0.0.1; a TLS proxy in front says so with `X-Forwarded-Proto: https`).
enum WebSessionCookie {
    static let name = "kam_session"
    /// The header the page's script sends a session's CSRF token in.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The live session the request's cookie names, or nil.
    static func signedIn(_ request: Request, sessions: WebSessionService) throws -> WebSessionService.SignedIn? {
        guard let token = request.cookies[name]?.value, !token.isEmpty else { return nil }
        return try sessions.authenticate(token)
    }

    /// The cookie's token, or nil.
    static func token(_ request: Request) -> String? {
        request.cookies[name]?.value
    }

    /// Whether the request came over TLS (through a proxy that says so).
    static func isSecure(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }

    /// The cookie that holds `token` until `expires`.
    static func set(_ token: String, expires: Date, secure: Bool) -> Cookie {
        Cookie(
            name: name, value: token, expires: expires, path: "/", secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The cookie that removes cookie `cookieName` (the session's, by default) of `path` from the browser.
    static func cleared(_ cookieName: String = name, path: String = "/", secure: Bool) -> Cookie {
        Cookie(
            name: cookieName, value: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, secure: secure,
            httpOnly: true, sameSite: .strict)
    }
}
