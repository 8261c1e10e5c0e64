import Foundation
import KAMCore

/// The `replay` backend: answers from recorded calls, for reproducible evaluations.
///
/// A request is looked up by the SHA-256 of its normalized form; a miss is an error that says how
/// to record, never a silent fallback (an evaluation must not mix live and recorded answers).
public struct ReplayProvider: ModelProvider {
    public var store: ReplayStore

    public init(directory: URL) {
        self.store = ReplayStore(directory: directory)
    }

    public var name: String { "replay" }

    public func complete(_ request: ChatRequest) async throws -> ChatResponse {
        guard let record = try store.load(request) else {
            throw ProviderError(
                code: .notRecorded,
                message: "no recording of this \(request.model) request (fingerprint \(request.fingerprint)) in "
                    + "\(store.directory.path); run once with --record \(store.directory.path) against a real provider",
                provider: name, model: request.model)
        }
        var response = record.response
        response.provider = name
        response.latency = .zero
        response.attempts = 1
        return response
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        streamByCompleting(request)
    }
}
