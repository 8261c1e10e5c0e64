extension ModelProvider {
    /// A stream of one complete call whose text is yielded in pieces of `length` characters, for backends
    /// that answer at once (offline) but whose callers show the answer as it is written: the stream looks
    /// like a model's, so a surface that streams (`POST /drafts` with server-sent events) is tested as one.
    public func streamInPieces(_ request: ChatRequest, length: Int = 32) -> AsyncThrowingStream<ChatStreamEvent, any Error>
    {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let response = try await complete(request)
                    var rest = Substring(response.text)
                    while !rest.isEmpty {
                        try Task.checkCancellation()
                        continuation.yield(.delta(String(rest.prefix(max(1, length)))))
                        rest = rest.dropFirst(max(1, length))
                    }
                    continuation.yield(.usage(response.usage))
                    continuation.yield(.completed(response))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
