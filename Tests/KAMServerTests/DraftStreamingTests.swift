import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMProviders
import KAMRuntime
import KAMStore
import KAMTesting
import Synchronization
import Testing

@testable import KAMServer

/// `POST /drafts` with `Accept: text/event-stream`: the body arrives as it is written, the stored draft last, and
/// an interrupted stream (the model failing midway, the client going away) never leaves a half-written draft.
@Suite struct DraftStreamingTests {
    typealias World = RouteTestWorld

    static let streamHeaders: HTTPFields = [.accept: "text/event-stream"]

    /// The server-sent events of a body: (event name, data JSON).
    static func events(_ text: String) throws -> [(name: String, data: JSONValue)] {
        try text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            let lines = block.split(separator: "\n")
            let name = lines.first { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) } ?? ""
            let data = lines.first { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) } ?? "null"
            return (name, try JSONDecoder().decode(JSONValue.self, from: Data(data.utf8)))
        }
    }

    @Test func theBodyStreamsInPiecesThenTheStoredDraftArrives() async throws {
        let world = try await World.make()
        let headers = world.auth.merging(Self.streamHeaders)
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/drafts", method: .post, headers: headers,
                body: World.body(#"{"client":"acme","kind":"follow-up","hint":"renewal"}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/event-stream")
                let events = try Self.events(String(buffer: response.body))
                let deltas = events.filter { $0.name == "delta" }
                #expect(deltas.count > 1, "the offline writer streams in pieces")
                #expect(events.last?.name == "draft")
                let draft = try #require(events.last?.data)
                let id = try #require(draft.text("id"))
                // The pieces are the body's text, without the JSON around it, and add up to the stored body.
                let streamed = deltas.compactMap { $0.data.text("text") }.joined()
                let stored = try world.runtime.drafts.draft(id, as: .anonymous)
                #expect(streamed == stored.original.body)
                #expect(draft["original"]?.text("body") == stored.original.body)
                #expect(stored.status == .pending)
            }
        }
        #expect(try world.draftCount() == 1)
    }

    @Test func aRefusalBeforeAnyTextIsAPlainJSONError() async throws {
        let world = try await World.make()
        let headers = world.auth.merging(Self.streamHeaders)
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/drafts", method: .post, headers: headers, body: World.body(#"{"client":"stark"}"#)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(World.errorCode(response) == "draft.no-consent")
            }
        }
        #expect(try world.draftCount() == 0)
    }

    /// A local model that streams the start of an answer and then loses the connection.
    static let failingModel = """
        version: 1
        providers:
          local:
            kind: openai-compatible
            base_url: http://model.invalid/v1
        models:
          m:
            provider: local
            id: m
        default_model: m

        """

    static func chunk(_ content: String) -> String {
        let escaped = String(decoding: try! JSONEncoder().encode(content), as: UTF8.self)
        return #"data: {"id":"1","model":"m","choices":[{"index":0,"delta":{"content":\#(escaped)}}]}"# + "\n\n"
    }

    @Test func aModelFailingMidStreamEndsWithAnErrorEventAndStoresNothing() async throws {
        let transport = MockTransport(
            { _ in throw URLError(.notConnectedToInternet) },
            stream: { _ in
                let pieces = [#"{"subject":"Renewal","body":"Dear Jane, "#, "about the renewal of"].map {
                    Data(Self.chunk($0).utf8)
                }
                return HTTPStreamResponse(
                    status: 200, headers: ["content-type": "text/event-stream"],
                    body: MockTransport.chunks(pieces, thenThrow: URLError(.networkConnectionLost)))
            })
        let world = try await World.make(configuration: Self.failingModel, transport: transport)
        let headers = world.auth.merging(Self.streamHeaders)
        try await world.test { client in
            try await client.executeDocumented(
                uri: "/drafts", method: .post, headers: headers, body: World.body(#"{"client":"acme"}"#)
            ) { response in
                #expect(response.status == .ok)
                let events = try Self.events(String(buffer: response.body))
                #expect(events.first?.name == "delta")
                #expect(events.compactMap { $0.name == "delta" ? $0.data.text("text") : nil }.joined()
                    == "Dear Jane, about the renewal of")
                #expect(events.last?.name == "error")
                #expect(events.last?.data["error"]?.text("code")?.isEmpty == false)
                #expect(!events.contains { $0.name == "draft" })
            }
        }
        #expect(try world.draftCount() == 0, "a stream that failed midway stores no draft")
    }

    /// The error of writing to a client that went away.
    struct ClientGone: Error {}

    /// A response writer whose client goes away after the first event.
    struct DisconnectingWriter: ResponseBodyWriter {
        final class Written: Sendable {
            let buffers = Mutex<[ByteBuffer]>([])
        }
        let written = Written()

        mutating func write(_ buffer: ByteBuffer) async throws {
            guard written.buffers.withLock({ $0.isEmpty }) else { throw ClientGone() }
            written.buffers.withLock { $0.append(buffer) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
            throw ClientGone()
        }
    }

    @Test func aClientThatGoesAwayMidStreamLeavesTheDraftWholeOrNothing() async throws {
        let world = try await World.make()
        let client = try world.runtime.client("acme")
        let drafts = world.runtime.drafts
        let response = try await DraftEventStream.response { onDelta in
            try await drafts.generate(client: client, kind: .followUp, hint: "renewal", as: ActingUser("maria"), onDelta: onDelta)
        }
        let writer = DisconnectingWriter()
        await #expect(throws: ClientGone.self) { try await response.body.write(writer) }
        #expect(writer.written.buffers.withLock { $0.count } == 1, "only the first event reached the client")
        // The generation was not cut short: the one stored draft is complete, its body the whole answer.
        let stored = try DraftRepository(store: world.store).list()
        #expect(stored.count == 1)
        let draft = try #require(stored.first)
        #expect(draft.status == .pending)
        #expect(!draft.original.body.isEmpty)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(draft.promptMessages.utf8)).arrayValue?.isEmpty == false)
    }
}
