import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

@Suite("MockTransport")
struct MockTransportTests {
    @Test func aChatCompletionIsWhatTheOpenAICodecReadsWithItsContentIntact() throws {
        let content = #"{"summary":"A \"quiet\" week.","notes":["Call\nthem"]}"#
        let response = try OpenAICodec(providerName: "local", baseURL: "http://model.invalid/v1", apiKey: nil)
            .decodeResponse(MockTransport.chatCompletion(content), request: ChatRequest(model: "m", messages: []))
        #expect(response.text == content)
        #expect(response.finishReason == .stop)
        #expect(response.usage.inputTokens == 5 && response.usage.outputTokens == 3)
    }

    @Test func aStreamedRequestGetsTheChatCompletionAsServerSentEvents() async throws {
        let content = #"{"summary":"A quiet week."}"#
        let provider = OpenAICompatibleProvider(
            baseURL: "http://model.invalid/v1", transport: MockTransport { _ in MockTransport.chatCompletion(content) })
        var pieces: [String] = []
        var final: ChatResponse?
        for try await event in provider.stream(ChatRequest(model: "m", messages: [])) {
            switch event {
            case .delta(let text): pieces.append(text)
            case .usage: break
            case .completed(let response): final = response
            }
        }
        #expect(pieces == [content])
        let response = try #require(final)
        #expect(response.text == content)
        #expect(response.finishReason == .stop)
        #expect(response.usage.outputTokens == 3)
        #expect(MockTransport.streamed(completion: Data("not json".utf8)) == nil)
    }
}
