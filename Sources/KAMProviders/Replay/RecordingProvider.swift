import Foundation
import KAMCore

/// Wraps a real provider and records each successful answer into a replay directory (`--record DIR`).
public struct RecordingProvider: ModelProvider {
    public var base: any ModelProvider
    public var store: ReplayStore

    public init(recording base: any ModelProvider, into directory: URL) {
        self.base = base
        self.store = ReplayStore(directory: directory)
    }

    public var name: String { base.name }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        let response = try await base.complete(request)
        try record(request, response)
        return response
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let base = self.base
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await event in base.stream(request) {
                        if case .completed(let response) = event { try record(request, response) }
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func record(_ request: ChatRequest, _ response: ChatResponse) throws {
        do {
            try store.save(ReplayRecord(request: request, response: response))
        } catch {
            throw ProviderError(
                code: .configuration,
                message: "could not write the recording into \(store.directory.path): \(error); check the directory is writable",
                provider: "replay", model: request.model, underlying: WireDecodingError(error))
        }
    }
}
