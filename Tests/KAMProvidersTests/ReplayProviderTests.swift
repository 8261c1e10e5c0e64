import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Testing

@Suite("Replay and recording")
struct ReplayProviderTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("kam-replay-\(UUID().uuidString)")
    }

    @Test func recordsThenReplaysByNormalizedRequest() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let live = ScriptedProvider.answering("{\"subject\":\"Hi\"}", name: "openai")
        let recording = RecordingProvider(recording: live, into: directory)
        let request = ChatRequest(
            model: "gpt-4o", messages: [.user("Write")], temperature: 0, outputSchema: ["type": "object"],
            metadata: ["prompt_id": "a"])
        let recorded = try await recording.complete(request)

        let replay = ReplayProvider(directory: directory)
        var same = request
        same.metadata = ["prompt_id": "b"]  // metadata does not change the key
        same.stream = true
        let replayed = try await replay.complete(same)
        #expect(replayed.text == recorded.text)
        #expect(replayed.provider == "replay")
        #expect(replayed.usage == recorded.usage)
        #expect(live.callCount == 1)

        var different = request
        different.temperature = 0.7
        let error = await #expect(throws: ProviderError.self) { try await replay.complete(different) }
        #expect(error?.code == .notRecorded)
        #expect(error?.message.contains("--record") == true)
    }

    @Test func fingerprintIsStableAndSensitiveToContent() {
        let a = ChatRequest(model: "m", messages: [.user("x")], outputSchema: ["b": 1, "a": 2])
        let b = ChatRequest(model: "m", messages: [.user("x")], outputSchema: ["a": 2, "b": 1])
        #expect(a.fingerprint == b.fingerprint)
        #expect(a.fingerprint.count == 64)
        #expect(a.fingerprint != ChatRequest(model: "m", messages: [.user("y")]).fingerprint)
        #expect(a.fingerprint != a.withModel("n").fingerprint)
    }

    @Test func streamedAnswersAreRecordedToo() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let recording = RecordingProvider(recording: ScriptedProvider.answering("streamed"), into: directory)
        let request = ChatRequest(model: "m", messages: [.user("x")])
        _ = try await recording.collect(recording.stream(request))
        let replayed = try await ReplayProvider(directory: directory).complete(request)
        #expect(replayed.text == "streamed")
    }
}
