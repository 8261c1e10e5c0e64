import AsyncHTTPClient
import Foundation
import KAMCore
import NIOCore
import NIOHTTP1

/// The live transport, over async-http-client.
///
/// Measured here (DESIGN.md): AHC streams bodies, reports cancellation as `CancellationError` and
/// never hung, where URLSession on Linux did. Two gaps are closed here: `execute(timeout:)` does not
/// bound the body, so an overall deadline races the whole exchange; and the default per-host
/// connection limit (8) would serialize concurrent calls, so it is raised.
public final class AsyncHTTPClientTransport: HTTPTransport {
    /// Settings of the underlying client.
    public struct Configuration: Sendable {
        public var connectTimeout: Duration
        /// Longest silence between two reads of a response, or none (the default): every exchange is already
        /// bounded by the caller's `timeout`, and a shorter read timeout would cut a non-streamed answer that a
        /// slow model takes longer than it to write (a CPU model given 600 s was cut at 60 s in a CI run).
        public var readTimeout: Duration?
        public var maxConnectionsPerHost: Int
        /// Largest non-streamed body read, against a misbehaving server.
        public var maxBodyBytes: Int

        public init(
            connectTimeout: Duration = .seconds(10), readTimeout: Duration? = nil,
            maxConnectionsPerHost: Int = 64, maxBodyBytes: Int = 16 << 20
        ) {
            self.connectTimeout = connectTimeout
            self.readTimeout = readTimeout
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxBodyBytes = maxBodyBytes
        }
    }

    private let client: HTTPClient
    private let configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        var settings = HTTPClient.Configuration()
        settings.timeout = .init(
            connect: .nanoseconds(Self.nanoseconds(configuration.connectTimeout)),
            read: configuration.readTimeout.map { .nanoseconds(Self.nanoseconds($0)) })
        settings.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.maxConnectionsPerHost)
        settings.decompression = .enabled(limit: .ratio(20))
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: settings)
        self.configuration = configuration
    }

    /// One process-wide transport that is never shut down (the process exit ends it).
    public static let shared = AsyncHTTPClientTransport()

    /// The process-wide transport of outbound webhooks: a 2 s connect timeout, since a receiver that has not taken
    /// the connection by then is retried later by the webhook retry policy, and a waiting delivery holds a slot. How
    /// long an answer may take is the policy's `timeout` (the deadline `send` races), not a read timeout here.
    public static let webhooks = AsyncHTTPClientTransport(configuration: Configuration(connectTimeout: .seconds(2)))

    /// Closes the connections; the transport cannot be used afterwards.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    public func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData {
        let clientRequest = try makeRequest(request)
        let limit = configuration.maxBodyBytes
        return try await withDeadline(timeout, request: request) { [client] in
            let response = try await Self.execute(client, clientRequest, timeout: timeout)
            let body = try await response.body.collect(upTo: limit)
            let data = Data(body.readableBytesView)
            return HTTPResponseData(status: Int(response.status.code), headers: Self.headers(response.headers), body: data)
        }
    }

    public func stream(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPStreamResponse {
        let clientRequest = try makeRequest(request)
        let deadline = ContinuousClock.now + timeout
        let response = try await withDeadline(timeout, request: request) { [client] in
            try await Self.execute(client, clientRequest, timeout: timeout)
        }
        let description = request.redactedDescription
        let body = AsyncThrowingStream<Data, any Error> { continuation in
            let reader = Task {
                do {
                    for try await buffer in response.body {
                        continuation.yield(Data(buffer.readableBytesView))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: Self.mapError(error, description: description))
                }
            }
            // The overall deadline also bounds the body, which `execute(timeout:)` does not.
            let watchdog = Task {
                try await Task.sleep(until: deadline, clock: .continuous)
                continuation.finish(
                    throwing: ProviderError(
                        code: .timeout, message: "the streamed answer of \(description) did not end within \(timeout)",
                        isRetryable: true))
                reader.cancel()
            }
            continuation.onTermination = { _ in
                reader.cancel()
                watchdog.cancel()
            }
        }
        return HTTPStreamResponse(status: Int(response.status.code), headers: Self.headers(response.headers), body: body)
    }

    /// Executes once more when a pooled keep-alive connection turns out to be closed by the server
    /// before the request went out (`ioOnClosedChannel`): the server never saw the request, so
    /// repeating it is safe, and callers should not pay a retry backoff for the pool's stale socket.
    private static func execute(
        _ client: HTTPClient, _ request: HTTPClientRequest, timeout: Duration
    ) async throws -> HTTPClientResponse {
        do {
            return try await client.execute(request, timeout: .nanoseconds(nanoseconds(timeout)))
        } catch let error as ChannelError where error == .ioOnClosedChannel {
            return try await client.execute(request, timeout: .nanoseconds(nanoseconds(timeout)))
        }
    }

    private func makeRequest(_ request: HTTPRequestData) throws -> HTTPClientRequest {
        guard URL(string: request.url)?.host != nil else {
            throw ProviderError(
                code: .configuration,
                message: "invalid URL '\(SecretRedactor.redact(request.url))'; set the provider's base URL in kam.yaml or --base-url")
        }
        var clientRequest = HTTPClientRequest(url: request.url)
        clientRequest.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { clientRequest.headers.add(name: name, value: value) }
        if !request.body.isEmpty {
            clientRequest.body = .bytes(ByteBuffer(bytes: request.body))
        }
        return clientRequest
    }

    /// Runs `operation`, abandoning it as a timeout after `timeout`.
    private func withDeadline<T: Sendable>(
        _ timeout: Duration, request: HTTPRequestData, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let description = request.redactedDescription
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    try Task.checkCancellation()
                    throw ProviderError(
                        code: .timeout, message: "no complete answer to \(description) within \(timeout)",
                        isRetryable: true)
                }
                return value
            }
        } catch {
            throw Self.mapError(error, description: description)
        }
    }

    /// Maps AHC/NIO errors to `ProviderError`s; the description is already redacted.
    static func mapError(_ error: any Error, description: String) -> any Error {
        if error is ProviderError || error is CancellationError { return error }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return ProviderError(
                    code: .timeout, message: "\(description) timed out (\(clientError))", isRetryable: true,
                    underlying: clientError)
            case .cancelled:
                return CancellationError()
            case .remoteConnectionClosed:
                return ProviderError(
                    code: .connection, message: "\(description): connection closed early (\(clientError))",
                    isRetryable: true, underlying: clientError)
            default:
                return ProviderError(
                    code: .connection, message: "\(description) failed: \(clientError)", isRetryable: true,
                    underlying: clientError)
            }
        }
        return ProviderError(
            code: .connection, message: SecretRedactor.redact("\(description) failed: \(error)"), isRetryable: true)
    }

    private static func headers(_ headers: HTTPHeaders) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in headers { result[name.lowercased()] = value }
        return result
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
