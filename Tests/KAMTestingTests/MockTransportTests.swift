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
}
