import Foundation
import KAMCore
import KAMProviders

/// A fake `HTTPTransport`: a struct of closures answering requests in memory.
///
/// `MockTransport { request in HTTPResponseData(status: 200, text: "...") }` for whole answers;
/// `MockTransport(stream: { request in ... })` for chunked bodies. By default a streamed request gets the
/// answer of `send`: a chat completion as a server streams it (its content as one server-sent event, then the
/// finish reason and usage, then `[DONE]`), anything else as one chunk.
public struct MockTransport: HTTPTransport {
    public var handler: @Sendable (HTTPRequestData) async throws -> HTTPResponseData
    public var streamHandler: (@Sendable (HTTPRequestData) async throws -> HTTPStreamResponse)?

    public init(
        _ handler: @escaping @Sendable (HTTPRequestData) async throws -> HTTPResponseData = { _ in
            HTTPResponseData(status: 404, text: "no handler")
        },
        stream: (@Sendable (HTTPRequestData) async throws -> HTTPStreamResponse)? = nil
    ) {
        self.handler = handler
        self.streamHandler = stream
    }

    public func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData {
        try await handler(request)
    }

    public func stream(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPStreamResponse {
        if let streamHandler { return try await streamHandler(request) }
        let response = try await handler(request)
        if response.status == 200, let events = Self.streamed(completion: response.body) {
            return HTTPStreamResponse(status: 200, headers: ["content-type": "text/event-stream"], body: Self.chunks(events))
        }
        return HTTPStreamResponse(status: response.status, headers: response.headers, body: Self.chunks([response.body]))
    }

    /// A Chat Completions response body as the server-sent events of the same answer streamed; nil for any other body.
    public static func streamed(completion body: Data) -> [Data]? {
        guard let completion = try? JSONValue.parse(String(decoding: body, as: UTF8.self)),
            let choice = completion["choices"]?.arrayValue?.first,
            let content = choice["message"]?["content"]?.stringValue
        else { return nil }
        let model = completion["model"] ?? "m"
        func event(_ chunk: JSONValue) -> Data { Data("data: \(chunk.compactJSONText)\n\n".utf8) }
        var last: [String: JSONValue] = [
            "model": model, "choices": [["index": 0, "delta": [:], "finish_reason": choice["finish_reason"] ?? "stop"]],
        ]
        if let usage = completion["usage"] { last["usage"] = usage }
        return [
            event(["model": model, "choices": [["index": 0, "delta": ["content": .string(content)]]]]),
            event(.object(last)),
            Data("data: [DONE]\n\n".utf8),
        ]
    }

    /// An OpenAI-compatible chat completion whose message is `content` (a prompt's JSON answer), as a server sends it.
    public static func chatCompletion(_ content: String) -> HTTPResponseData {
        let message = JSONValue.object([
            "id": .string("1"), "model": .string("m"),
            "choices": .array([
                .object([
                    "index": .int(0), "finish_reason": .string("stop"),
                    "message": .object(["role": .string("assistant"), "content": .string(content)]),
                ])
            ]),
            "usage": .object(["prompt_tokens": .int(5), "completion_tokens": .int(3)]),
        ])
        return HTTPResponseData(status: 200, text: message.compactJSONText)
    }

    /// A streamed answer made of the given chunks, optionally failing after them.
    public static func chunks(_ chunks: [Data], thenThrow error: (any Error)? = nil) -> AsyncThrowingStream<Data, any Error> {
        AsyncThrowingStream { continuation in
            for chunk in chunks { continuation.yield(chunk) }
            continuation.finish(throwing: error)
        }
    }

    /// A streamed 200 answer from server-sent-event text, split into chunks of `chunkSize` bytes.
    public static func sseResponse(_ text: String, chunkSize: Int = 7) -> HTTPStreamResponse {
        let bytes = Array(text.utf8)
        let pieces = stride(from: 0, to: bytes.count, by: max(chunkSize, 1)).map {
            Data(bytes[$0..<min($0 + chunkSize, bytes.count)])
        }
        return HTTPStreamResponse(status: 200, headers: ["content-type": "text/event-stream"], body: chunks(pieces))
    }
}
