import KAMCore
/// Sends HTTP requests for the provider adapters: live (async-http-client) or fake (`MockTransport`).
///
/// Implementations throw `ProviderError` with `.timeout`, `.connection` or `.cancelled` for
/// transport failures (retryable except cancellation), and return error statuses as responses:
/// the adapter, which knows the wire format, decides what they mean.
public protocol HTTPTransport: Sendable {
    /// Sends a request and reads the whole response, all within `timeout`.
    func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData

    /// Sends a request and returns as soon as the head arrives; the body streams, bounded by `timeout` overall.
    func stream(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPStreamResponse
}
