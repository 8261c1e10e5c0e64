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
            ? try keys.authenticate(String(parts[1]).trimmingCharacters(in: .whitespaces)) : .invalid
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
}
