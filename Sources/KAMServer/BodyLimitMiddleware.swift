import Hummingbird

/// Refuses a body over the limit (kam.yaml `server: max_body_bytes`) with 413: at once, without reading it, when
/// `Content-Length` declares it; otherwise the limit goes on the context, where `request.decode` and
/// `collectBody(upTo: context.maxUploadSize)` stop reading a streamed body as soon as it passes the limit.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = KAMRequestContext

    let maxBytes: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maxBytes {
            throw APIError.bodyTooLarge(limit: maxBytes, declared: declared)
        }
        var context = context
        context.maxUploadSize = maxBytes
        return try await next(request, context)
    }
}
