import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Synchronization
import Testing

/// The self-check's provider probe: a model list asked for, no tokens spent; refused keys and server errors are
/// unreachable, any other answer reachable.
@Suite struct ProviderProbeTests {
    final class Seen: Sendable {
        let requests = Mutex<[HTTPRequestData]>([])
        var all: [HTTPRequestData] { requests.withLock { $0 } }
    }

    static func factory(_ seen: Seen, environment: [String: String] = [:], answer: @escaping @Sendable () throws -> HTTPResponseData)
        -> ProviderFactory
    {
        ProviderFactory(
            environment: environment,
            transport: MockTransport { request in
                seen.requests.withLock { $0.append(request) }
                return try answer()
            })
    }

    @Test func eachKindIsProbedTheCheapestWay() async throws {
        let seen = Seen()
        let ok = Self.factory(seen, environment: ["OPENAI_API_KEY": "sk-test", "ANTHROPIC_API_KEY": "ak-test"]) {
            HTTPResponseData(status: 200, text: #"{"data":[]}"#)
        }
        #expect(await ok.probe(ProviderConfiguration(name: "offline", kind: .offline)).reachable)
        let replay = await ok.probe(ProviderConfiguration(name: "rec", kind: .replay, recordingsDirectory: "/no/such/folder"))
        #expect(!replay.reachable && replay.detail.contains("/no/such/folder"))
        #expect(seen.all.isEmpty, "offline and replay ask no server")

        let openai = await ok.probe(ProviderConfiguration(name: "openai", kind: .openai))
        #expect(openai.reachable && openai.detail == "HTTP 200")
        let anthropic = await ok.probe(ProviderConfiguration(name: "anthropic", kind: .anthropic))
        #expect(anthropic.reachable)
        let local = await ok.probe(ProviderConfiguration(name: "local", kind: .openaiCompatible, baseURL: "http://127.0.0.1:8080/v1"))
        #expect(local.reachable)
        #expect(seen.all.map(\.method) == ["GET", "GET", "GET"])
        #expect(seen.all.map(\.url) == [
            "https://api.openai.com/v1/models", "https://api.anthropic.com/v1/models", "http://127.0.0.1:8080/v1/models",
        ])
        #expect(seen.all[0].headers["authorization"] == "Bearer sk-test")
        #expect(seen.all[1].headers["x-api-key"] == "ak-test" && seen.all[1].headers["anthropic-version"] != nil)
        #expect(seen.all[2].headers["authorization"] == nil)
    }

    @Test func aMissingOrRefusedKeyAServerErrorAndNoAnswerAreUnreachable() async throws {
        let seen = Seen()
        let noKey = await Self.factory(seen) { HTTPResponseData(status: 200, text: "{}") }
            .probe(ProviderConfiguration(name: "openai", kind: .openai))
        #expect(!noKey.reachable && noKey.detail.contains("OPENAI_API_KEY"))
        #expect(seen.all.isEmpty)
        let local = ProviderConfiguration(name: "local", kind: .openaiCompatible, baseURL: "http://127.0.0.1:8080/v1")
        let refused = await Self.factory(seen) { HTTPResponseData(status: 401, text: "{}") }.probe(local)
        #expect(!refused.reachable && refused.detail == "the key was refused (HTTP 401)")
        let failing = await Self.factory(seen) { HTTPResponseData(status: 503, text: "") }.probe(local)
        #expect(!failing.reachable && failing.detail.contains("503"))
        let silent = await Self.factory(seen) { throw URLError(.cannotConnectToHost) }.probe(local)
        #expect(!silent.reachable)
        // A server without a model list still answered.
        #expect(await Self.factory(seen) { HTTPResponseData(status: 404, text: "") }.probe(local).reachable)
    }
}
