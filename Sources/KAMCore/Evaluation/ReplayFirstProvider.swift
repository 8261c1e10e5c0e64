/// The evaluation response cache: answers from recordings when the request was seen before, and from
/// the live chain (which records what it answers) otherwise — so a re-run is free and reproducible.
public struct ReplayFirstProvider: ModelProvider {
    public var cache: any ModelProvider
    public var live: any ModelProvider

    public init(cache: any ModelProvider, live: any ModelProvider) {
        self.cache = cache
        self.live = live
    }

    public var name: String { live.name }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        do {
            return try await cache.complete(request)
        } catch let error as ProviderError where error.code == .notRecorded {
            return try await live.complete(request)
        }
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        streamByCompleting(request)
    }
}
