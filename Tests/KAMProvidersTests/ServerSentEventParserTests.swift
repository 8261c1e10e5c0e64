import Foundation
import KAMProviders
import Testing

@Suite("Server-sent event parser")
struct ServerSentEventParserTests {
    @Test func splitsEventsAcrossArbitraryChunks() {
        let text = "event: a\r\ndata: one\r\ndata: two\r\n\r\n: comment\n\ndata:three\n\nid: 5\ndata: é€\n\n"
        let bytes = Array(text.utf8)
        for size in [1, 2, 3, 7, bytes.count] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += parser.feed(Data(bytes[start..<min(start + size, bytes.count)]))
            }
            events += parser.finish()
            #expect(
                events == [
                    ServerSentEvent(event: "a", data: "one\ntwo"), ServerSentEvent(data: "three"),
                    ServerSentEvent(data: "é€"),
                ], "chunk size \(size)")
        }
    }

    @Test func lastEventWithoutBlankLineIsDeliveredOnFinish() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Data("data: [DONE]".utf8)).isEmpty)
        #expect(parser.finish() == [ServerSentEvent(data: "[DONE]")])
    }
}
