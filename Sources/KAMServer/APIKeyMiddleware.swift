import Hummingbird
import KAMRuntime

/// Requires `Authorization: Bearer kam_…` on every route except the open ones of the route table (e.g. `/health`),
/// and records the key's user on the context with their access scope, read with the key in one transaction, so
/// the services the route calls never read the user, their role or their team again. Anything else gets a 401
/// with a JSON error.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    let keys: APIKeyService
    /// Read when a request arrives, after every route was added.
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let path = context.endpointPath, routes.isOpen(request.method, path) { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
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
