import Foundation
import KAMCore

/// Whether a configured provider answers: what the self-check job reports for each provider a route uses.
public struct ProviderProbe: Sendable, Hashable {
    public var provider: String
    public var reachable: Bool
    /// `HTTP 200`, `the key was refused (HTTP 401)`, the transport's error, ...
    public var detail: String

    public init(provider: String, reachable: Bool, detail: String) {
        self.provider = provider
        self.reachable = reachable
        self.detail = detail
    }
}

extension ProviderFactory {
    /// Asks `configuration`'s server for its model list (`GET .../models`, no tokens spent) within `timeout`: any
    /// answer but a refused key (401, 403) or a server error (5xx) is reachable. The offline writer always is; a
    /// replay provider is when its recordings folder exists; a remote one without its key is not.
    public func probe(_ configuration: ProviderConfiguration, timeout: Duration = .seconds(5)) async -> ProviderProbe {
        func result(_ reachable: Bool, _ detail: String) -> ProviderProbe {
            ProviderProbe(provider: configuration.name, reachable: reachable, detail: detail)
        }
        let key = configuration.apiKey(in: environment)
        let request: HTTPRequestData
        switch configuration.kind {
        case .offline:
            return result(true, "offline: answers without a network")
        case .replay:
            let folder = configuration.recordingsDirectory ?? ""
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue
            return result(exists, exists ? "recordings in \(folder)" : "no recordings folder at '\(folder)'")
        case .openai where key == nil, .anthropic where key == nil:
            return result(false, "no key: set the environment variable \(configuration.apiKeyVariable ?? "named by api_key_env")")
        case .anthropic:
            request = AnthropicCodec(baseURL: configuration.baseURL ?? "https://api.anthropic.com", apiKey: key).modelsRequest()
        case .openai, .openaiCompatible:
            request = OpenAICodec(
                providerName: configuration.name, baseURL: configuration.baseURL ?? "https://api.openai.com/v1", apiKey: key
            ).modelsRequest()
        }
        do {
            let response = try await transport.send(request, timeout: timeout)
            switch response.status {
            case 401, 403: return result(false, "the key was refused (HTTP \(response.status))")
            case 500...: return result(false, "the server failed (HTTP \(response.status))")
            default: return result(true, "HTTP \(response.status)")
            }
        } catch {
            return result(false, "\(error)")
        }
    }
}
