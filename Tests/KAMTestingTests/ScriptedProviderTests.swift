import KAMCore
import KAMTesting
import Testing

@Suite("ScriptedProvider")
struct ScriptedProviderTests {
    let request = ChatRequest(model: "gpt-4o", messages: [.user("Hi")])

    @Test func passesTheCallNumberAndRecordsRequests() async throws {
        let provider = ScriptedProvider(name: "openai") { request, call in
            if call == 1 { throw ProviderError(code: .httpStatus, message: "503", httpStatus: 503, isRetryable: true) }
            return ChatResponse(text: "call \(call)", model: request.model, provider: "openai")
        }
        await #expect(throws: ProviderError.self) { try await provider.complete(request) }
        #expect(try await provider.complete(request).text == "call 2")
        #expect(provider.callCount == 2)
        #expect(provider.requests.map(\.model) == ["gpt-4o", "gpt-4o"])
    }

    @Test func offlineAnswersLikeTheOfflineBackend() async throws {
        let provider = ScriptedProvider.offline(answer: #"{"ok":true}"#)
        let response = try await provider.complete(request)
        #expect(provider.name == "offline")
        #expect(response.isOffline)
        #expect(response.provider == "offline")
        #expect(response.model == "offline")
        #expect(response.text == #"{"ok":true}"#)
    }
}
