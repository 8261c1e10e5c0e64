import Hummingbird
import KAMCore

extension KAMAPI {
    /// `/health` (for load balancers and `kam demo`'s check), `/openapi.json` and `/metrics` (unless kam.yaml moves it
    /// to `server: metrics_port`), all open.
    func addSystemRoutes(_ routes: RouteTable) {
        routes.get("/health", open: true) { _, _ in
            try JSONResponse.make(HealthBody(status: "ok", version: KAMVersion.string))
        }
        // Encoded once when the routes are built, not on every request (the document is ~100 kB of JSON).
        let openAPIText = Result { () throws -> String in try OpenAPIDocument.bundled().text }
        routes.get("/openapi.json", open: true) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try openAPIText.get())))
        }
        if settings.metricsPort == nil {
            routes.get("/metrics", open: true) { _, _ in try await metricsResponse() }
        }
    }
}

/// Body of `GET /health`.
struct HealthBody: Encodable, Sendable {
    var status: String
    var version: String
}
