/// The `server:` section of kam.yaml: what `kam serve` accepts and where it reports.
///
/// ```yaml
/// server:
///   max_body_bytes: 1048576     # a larger request body is refused with 413 before it is read
///   metrics_port: 9464          # /metrics on 127.0.0.1:9464 instead of the API's port
///   shutdown_grace_seconds: 30  # how long SIGTERM waits for requests in flight
///   session_hours: 12           # a web page sign-in lasts this long
/// ```
public struct ServerConfiguration: Sendable, Hashable {
    /// The default body limit: 1 MiB.
    public static let defaultMaxBodyBytes = 1 << 20

    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// When set, `/metrics` is served on `127.0.0.1:<port>` only, and not on the API's port.
    public var metricsPort: Int?
    /// Seconds a SIGTERM or SIGINT waits for requests in flight before the server stops anyway.
    public var shutdownGraceSeconds: Double
    /// Hours a web page session lasts from signing in; then the browser is asked to sign in again.
    public var sessionHours: Double

    public init(
        maxBodyBytes: Int = ServerConfiguration.defaultMaxBodyBytes, metricsPort: Int? = nil,
        shutdownGraceSeconds: Double = 30, sessionHours: Double = 12
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.metricsPort = metricsPort
        self.shutdownGraceSeconds = shutdownGraceSeconds
        self.sessionHours = sessionHours
    }
}
