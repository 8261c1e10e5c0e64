import Hummingbird

extension APIError {
    /// Hummingbird's own refusals (no route, a body over the limit, a malformed request) in the API's one error shape.
    static func from(_ error: HTTPError) -> APIError {
        let code: String
        let message: String
        switch error.status {
        case .notFound:
            code = "route.not-found"
            message = "no route answers this method and path; the routes are listed in /openapi.json"
        case .methodNotAllowed:
            code = "route.method-not-allowed"
            message = "this path does not take this method; the routes are listed in /openapi.json"
        case .contentTooLarge:
            code = "request.too-large"
            message = error.body ?? "the request body is over the server's limit (kam.yaml server: max_body_bytes)"
        default:
            code = error.status.code >= 500 ? "api.internal" : "request.invalid"
            message = error.body ?? error.status.reasonPhrase
        }
        return APIError(error.status, code: code, message: message, headers: error.headers, underlying: error)
    }

    /// A body longer than the limit: 413, said before the body is read when its length is declared.
    static func bodyTooLarge(limit: Int, declared: Int? = nil) -> APIError {
        let size = declared.map { "\($0) bytes" } ?? "the body"
        return APIError(
            .contentTooLarge, code: "request.too-large",
            message: "\(size) is over the limit of \(limit) bytes; send less, or raise `server: max_body_bytes` in kam.yaml")
    }
}
