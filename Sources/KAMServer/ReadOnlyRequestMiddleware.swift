import Hummingbird
import KAMRuntime

/// Reads the store's version once for a `GET` or `HEAD` (`StoreVersionMemo`): the key check and the kept context of
/// one request share it, one round trip instead of two on PostgreSQL. Other methods write, and read the version each
/// time they ask, so their own commits are seen.
struct ReadOnlyRequestMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .get || request.method == .head else { return try await next(request, context) }
        return try await StoreVersionMemo.$current.withValue(StoreVersionMemo()) { try await next(request, context) }
    }
}
