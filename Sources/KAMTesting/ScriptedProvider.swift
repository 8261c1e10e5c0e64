import KAMCore
import Synchronization

/// A fake `ModelProvider` made of closures, for tests of everything above the wire.
///
/// The closure gets the request and the 1-based number of the call to this provider, so a script
/// can fail twice and then answer. Calls are recorded for assertions.
///
/// ```swift
/// let provider = ScriptedProvider(name: "openai") { request, call in
///     if call < 3 { throw ProviderError(code: .httpStatus, message: "503", httpStatus: 503, isRetryable: true) }
///     return ChatResponse(text: "{}", model: request.model, provider: "openai")
/// }
/// ```
public struct ScriptedProvider: ModelProvider {
    public let name: String
    private let script: @Sendable (ChatRequest, Int) async throws -> ChatResponse
    private let streamScript: (@Sendable (ChatRequest, Int) -> AsyncThrowingStream<ChatStreamEvent, any Error>)?
    private let log: Log

    public init(
        name: String = "scripted",
        script: @escaping @Sendable (ChatRequest, Int) async throws -> ChatResponse,
        stream: (@Sendable (ChatRequest, Int) -> AsyncThrowingStream<ChatStreamEvent, any Error>)? = nil
    ) {
        self.name = name
        self.script = script
        self.streamScript = stream
        self.log = Log()
    }

    /// Always answers `text` with the given usage.
    public static func answering(_ text: String, name: String = "scripted", usage: Usage = Usage(inputTokens: 10, outputTokens: 5))
        -> ScriptedProvider
    {
        ScriptedProvider(name: name) { request, _ in
            ChatResponse(text: text, model: request.model, provider: name, usage: usage)
        }
    }

    /// Answers like KAM's `offline` backend (provider and model `offline`, `isOffline` set), for the
    /// last step of a fallback chain in tests of rings that cannot see `OfflineProvider`.
    public static func offline(answer text: String = "{}") -> ScriptedProvider {
        ScriptedProvider(name: "offline") { _, _ in
            ChatResponse(text: text, model: "offline", provider: "offline", isOffline: true)
        }
    }

    /// The requests received so far, in order.
    public var requests: [ChatRequest] { log.requests }
    public var callCount: Int { log.requests.count }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let call = log.append(request)
        return try await script(request, call)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        guard let streamScript else { return streamByCompleting(request) }
        let call = log.append(request)
        return streamScript(request, call)
    }

    /// Suspends until the task is cancelled — a provider that hangs.
    public static func hang() async throws -> Never {
        while true {
            try await Task.sleep(for: .seconds(3600))
        }
    }

    private final class Log: Sendable {
        private let storage = Mutex<[ChatRequest]>([])
        func append(_ request: ChatRequest) -> Int {
            storage.withLock {
                $0.append(request)
                return $0.count
            }
        }
        var requests: [ChatRequest] { storage.withLock { $0 } }
    }
}
