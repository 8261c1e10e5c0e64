import Hummingbird
import KAMRuntime

/// Requires `Authorization: Bearer kam_…` (or the web page's session cookie, with its CSRF token for a change) on every
/// route except the open ones of the route table (e.g. `/health`) and the pages, which read the session themselves,
/// and records the key's user on the context with their access scope, read with the key in one transaction, so
/// the services the route calls never read the user, their role or their team again. Anything else gets a 401
/// with a JSON error.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    let keys: APIKeyService
    let sessions: WebSessionService
    /// Read when a request arrives, after every route was added.
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let path = context.endpointPath {
            if routes.isPage(request.method, path) {
                // A page reads the session (if any) and decides itself: most send an anonymous visitor to sign in.
                guard let signedIn = try WebSessionCookie.signedIn(request, sessions: sessions) else {
                    return try await next(request, context)
                }
                return try await next(request, Self.acting(signedIn, context))
            }
            if routes.isOpen(request.method, path) { return try await next(request, context) }
        }
        guard let header = request.headers[.authorization] else {
            if let signedIn = try WebSessionCookie.signedIn(request, sessions: sessions) {
                // The page's script calls the JSON routes with the session cookie; a change also needs the session's
                // CSRF token in a header, which another site's page cannot read (the cookie is SameSite=Strict too).
                if !Self.safeMethods.contains(request.method) {
                    guard let token = request.headers[WebSessionCookie.csrfHeader], token == signedIn.session.csrfToken else {
                        throw APIError(
                            .forbidden, code: "auth.csrf",
                            message: "a change made with the web session needs its CSRF token in `X-CSRF-Token`; reload the page")
                    }
                }
                return try await next(request, Self.acting(signedIn, context))
            }
            throw APIError(
                .unauthorized, code: "auth.missing",
                message: "send `Authorization: Bearer <key>`; create a key with `kam keys create --user USER`",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        let check: APIKeyService.Authentication =
            parts.count == 2 && parts[0].lowercased() == "bearer"
            ? try keys.authenticate(Self.trimmed(parts[1])) : .invalid
        if case .expired = check {
            throw APIError(
                .unauthorized, code: "auth.expired",
                message: "the API key has expired; create a new one with `kam keys create --user USER`",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        guard case .valid(_, let user) = check else {
            throw APIError(
                .unauthorized, code: "auth.invalid",
                message: "the API key is unknown or revoked, or its user is disabled; create a new one with `kam keys create --user USER`",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }

    /// Methods that change nothing, which need no CSRF token.
    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]

    /// `context` acting for the signed-in user.
    private static func acting(_ signedIn: WebSessionService.SignedIn, _ context: Context) -> Context {
        var context = context
        context.user = signedIn.user
        context.signedIn = signedIn
        return context
    }

    /// `text` without the spaces and tabs (Unicode's space separators included) around it, as
    /// `trimmingCharacters(in: .whitespaces)` would give it, without Foundation's NSString bridge (~10 µs a request).
    static func trimmed(_ text: Substring) -> String {
        func blank(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }), let last = scalars.lastIndex(where: { !blank($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
