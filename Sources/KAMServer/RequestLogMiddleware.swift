import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives each request an id (the caller's `X-Request-Id` when it is a plain token,
/// else a new one), answers it in `X-Request-Id`, turns any error into the API's JSON error, counts the request
/// in the metrics and writes one structured log line: request id, method, route, status, user and latency.
///
/// The line never holds a key, a secret, a body or a query string: the route is the template (`/clients/:id`),
/// not the path the caller sent.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    let metrics: ServerMetrics
    let logger: Logger
    /// For a 405's `Allow` header when a path exists but not with the method asked.
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let requestID = Self.requestID(request.headers[Self.requestIDHeader])
        context.trace.requestID = requestID
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var refusal = APIError.from(error)
            // Hummingbird's own 404 (no route for this method and path; a route's 404 is an APIError).
            if refusal.status == .notFound, error is HTTPError {
                let methods = routes.methods(matching: request.uri.path)
                if !methods.isEmpty {
                    let allowed = methods.map(\.rawValue).joined(separator: ", ")
                    refusal = APIError(
                        .methodNotAllowed, code: "route.method-not-allowed",
                        message: "\(request.uri.path) does not take \(request.method.rawValue); it takes \(allowed)",
                        headers: [.allow: allowed])
                }
            }
            response = try refusal.response(from: request, context: context)
        }
        let duration = ContinuousClock.now - started
        response.headers[Self.requestIDHeader] = requestID
        let route = context.endpointPath ?? "(unmatched)"
        metrics.recordRequest(
            method: request.method.rawValue, route: route, status: response.status.code, duration: duration)
        logger.info(
            "request",
            metadata: [
                "request_id": .string(requestID), "method": .string(request.method.rawValue), "route": .string(route),
                "status": .stringConvertible(response.status.code), "user": .string(context.trace.userID ?? "-"),
                "latency_ms": .string(Self.milliseconds(duration)),
            ])
        return response
    }

    /// `duration` in milliseconds with two decimals (`12.34`), written without Foundation's `String(format:)`,
    /// which cost more than the rest of the line on `/health`.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        // Hundredths of a millisecond, rounded half up: 1e13 attoseconds each.
        let hundredths = max(0, seconds * 100_000 + (attoseconds + 5_000_000_000_000) / 10_000_000_000_000)
        let fraction = hundredths % 100
        return String(hundredths / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// The caller's id when it is 1-64 letters, digits, `-`, `_` or `.`; otherwise a new random one.
    static func requestID(_ given: String?) -> String {
        if let given, (1...64).contains(given.utf8.count),
            given.utf8.allSatisfy({ $0 < 128 && (isalnum(Int32($0)) != 0 || $0 == 45 || $0 == 95 || $0 == 46) })
        {
            return given
        }
        return RequestID().description
    }
}
