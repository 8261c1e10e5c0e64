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

    /// A recorded answer in one piece, else the live chain's stream (so a runaway is stopped while it streams).
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let cache = cache
        let live = live
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    do {
                        let response = try await cache.complete(request)
                        continuation.yield(.delta(response.text))
                        continuation.yield(.completed(response))
                    } catch let error as ProviderError where error.code == .notRecorded {
                        for try await event in live.stream(request) { continuation.yield(event) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
