import Foundation
import Hummingbird
import KAMCore

/// `POST /drafts` with `Accept: text/event-stream`: the draft's body as server-sent events while the model
/// writes it, then the stored draft.
///
/// Events, each `data` one JSON object:
/// - `delta` `{"text": ...}`: the body's next text (the JSON around it is not sent);
/// - `restart` `{}`: the model's answer failed its schema and it writes again; drop the text shown so far;
/// - `draft`: the stored draft, last;
/// - `error` `{"error": {"code", "message"}}`: the model failed after it began; nothing was stored, last.
///
/// A failure before the first text (unknown prompt, no consent, budget refused, provider down) is a plain JSON
/// error with its status, as without streaming. The generation runs in its own task, so a client that goes away
/// does not stop it halfway: the draft is validated and stored whole when the model finishes, or not at all when
/// the model fails. It is never half-written, and a server that drains in-flight requests waits for it.
enum DraftEventStream {
    typealias Generate = @Sendable (_ onDelta: @escaping @Sendable (String) -> Void) async throws -> Draft

    static let contentType = "text/event-stream"

    /// Whether the request asks for server-sent events.
    static func isRequested(_ request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.lowercased().contains(contentType) }
    }

    /// Starts `generate` and answers with its events; throws (for a JSON error) when it fails before any text.
    static func response(_ generate: @escaping Generate) async throws -> Response {
        let (deltas, deltaInput) = AsyncStream<String>.makeStream()
        let (started, startInput) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let generation = Task {
            defer {
                deltaInput.finish()
                startInput.finish()
            }
            return try await generate { text in
                deltaInput.yield(text)
                startInput.yield()
            }
        }
        var wroteText = false
        for await _ in started {
            wroteText = true
            break
        }
        // Nothing written and it failed: the same JSON error a plain `POST /drafts` gets.
        if !wroteText, case .failure(let error) = await generation.result { throw error }
        return Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                try await write(deltas, then: generation, to: &writer)
            })
    }

    /// Writes the deltas as events, then the outcome; keeps reading (and waits for the outcome) after the client
    /// has gone, then reports the write failure.
    static func write(
        _ deltas: AsyncStream<String>, then generation: Task<Draft, any Error>, to writer: inout any ResponseBodyWriter
    ) async throws {
        var body = StreamedJSONField("body")
        var lost: (any Error)?
        for await delta in deltas {
            let piece = body.feed(delta)
            guard lost == nil else { continue }
            do {
                if piece.restarted { try await writer.write(event("restart", [String: String]())) }
                if !piece.text.isEmpty { try await writer.write(event("delta", ["text": piece.text])) }
            } catch {
                lost = error
            }
        }
        let outcome = await generation.result
        if let lost { throw lost }
        switch outcome {
        case .success(let draft):
            try await writer.write(event("draft", draft))
        case .failure(let error):
            let refusal = APIError.from(error)
            try await writer.write(event("error", ["error": ["code": refusal.code, "message": refusal.message]]))
        }
        try await writer.finish(nil)
    }

    /// One server-sent event: `event: NAME`, `data: JSON`, a blank line. The JSON is on one line (no newline
    /// escapes survive unescaped in JSON), so one `data:` line holds it.
    static func event(_ name: String, _ value: some Encodable) throws -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: \(name)\ndata: ")
        buffer.writeBytes(try JSONResponse.encode(value, keys: .snakeCase))
        buffer.writeString("\n\n")
        return buffer
    }
}
