/// Choosing the model for a call: the command line's overrides, then the prompt's model, then the default.
extension KAMConfiguration {
    /// The route for a prompt, with command-line overrides applied.
    ///
    /// - Throws: `ConfigurationError` (code `config_override`) naming the flag and what would work.
    public func route(forPrompt promptID: String? = nil, overrides: ModelOverrides = ModelOverrides()) throws(ConfigurationError)
        -> ModelRoute
    {
        let name = overrides.model ?? promptID.flatMap { promptModels[$0] } ?? defaultModel
        var primary: ResolvedModel
        if let provider = overrides.provider {
            let providerConfiguration = try overrideProvider(named: provider, baseURL: overrides.baseURL)
            if let declared = models[name], declared.provider == providerConfiguration.name {
                primary = ResolvedModel(
                    name: name, provider: providerConfiguration, modelID: declared.id,
                    maxOutputTokens: declared.maxOutputTokens, options: declared.options)
            } else if providerConfiguration.kind == .offline {
                primary = ResolvedModel(name: "offline", provider: providerConfiguration, modelID: "offline")
            } else {
                let id = models[name]?.id ?? Self.splitQualified(name, providers: providers)?.model ?? name
                primary = ResolvedModel(name: name, provider: providerConfiguration, modelID: id)
            }
        } else {
            // An undeclared, unqualified id given with --model goes to the provider of the model it replaces.
            let replaced = promptID.flatMap { promptModels[$0] } ?? defaultModel
            let fallbackResolution = overrides.model == nil ? nil : resolve(replaced).map { base in
                ResolvedModel(name: name, provider: base.provider, modelID: base.provider.kind == .offline ? "offline" : name)
            }
            guard let resolved = resolve(name) ?? fallbackResolution else {
                let field = overrides.model != nil ? "--model" : "default_model"
                throw Self.overrideError(
                    field,
                    "unknown model '\(name)': declare it under models: in kam.yaml, write it as PROVIDER/MODEL, "
                        + "or add --provider NAME; known models: \(models.keys.sorted().joined(separator: ", "))")
            }
            primary = resolved
            if let baseURL = overrides.baseURL {
                guard primary.provider.kind == .openaiCompatible else {
                    if primary.provider.kind == .offline {
                        primary.provider = ProviderConfiguration(
                            name: "openai-compatible", kind: .openaiCompatible, baseURL: baseURL)
                        primary.modelID = overrides.model ?? "default"
                        return ModelRoute(primary: primary, fallbacks: fallbackModels(excluding: primary))
                    }
                    throw Self.overrideError(
                        "--base-url",
                        "applies to openai-compatible providers; model '\(name)' is served by '\(primary.provider.name)' "
                            + "(\(primary.provider.kind.rawValue)). Add --provider openai-compatible.")
                }
                primary.provider.baseURL = baseURL
            }
        }
        return ModelRoute(primary: primary, fallbacks: fallbackModels(excluding: primary))
    }

    /// A model name as declared, `PROVIDER/MODEL`, or `offline`; `nil` when it is none of these.
    public func resolve(_ name: String) -> ResolvedModel? {
        if let declared = models[name], let provider = providers[declared.provider] {
            return ResolvedModel(
                name: name, provider: provider, modelID: declared.id, maxOutputTokens: declared.maxOutputTokens,
                options: declared.options)
        }
        if let (provider, model) = Self.splitQualified(name, providers: providers) {
            return ResolvedModel(name: name, provider: providers[provider]!, modelID: model)
        }
        return nil
    }

    private func fallbackModels(excluding primary: ResolvedModel) -> [ResolvedModel] {
        fallback.compactMap(resolve).filter {
            !($0.modelID == primary.modelID && $0.provider.name == primary.provider.name)
        }
    }

    private func overrideProvider(named name: String, baseURL: String?) throws(ConfigurationError) -> ProviderConfiguration {
        var provider: ProviderConfiguration
        if let declared = providers[name] {
            provider = declared
        } else if let kind = ProviderConfiguration.Kind(rawValue: name) {
            provider = ProviderConfiguration(name: name, kind: kind)
        } else {
            throw Self.overrideError(
                "--provider",
                "unknown provider '\(name)'; use one declared in kam.yaml (\(providers.keys.sorted().joined(separator: ", "))) "
                    + "or a kind: \(ProviderConfiguration.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let baseURL {
            guard provider.kind == .openaiCompatible else {
                throw Self.overrideError(
                    "--base-url", "applies to openai-compatible providers; '\(name)' is \(provider.kind.rawValue)")
            }
            provider.baseURL = baseURL
        }
        if provider.kind == .openaiCompatible && provider.baseURL == nil {
            throw Self.overrideError(
                "--base-url", "provider '\(name)' is openai-compatible and needs a base URL: add --base-url http://HOST:PORT/v1")
        }
        return provider
    }

    /// `openai/gpt-4o-mini` → (`openai`, `gpt-4o-mini`) when the part before the slash is a provider.
    static func splitQualified(_ name: String, providers: [String: ProviderConfiguration]) -> (provider: String, model: String)? {
        guard let slash = name.firstIndex(of: "/") else { return nil }
        let provider = String(name[..<slash])
        let model = String(name[name.index(after: slash)...])
        guard providers[provider] != nil, !model.isEmpty else { return nil }
        return (provider, model)
    }

    static func overrideError(_ flag: String, _ message: String) -> ConfigurationError {
        ConfigurationError(
            code: .override, issues: [ConfigurationIssue(file: "command line", field: flag, message: message)])
    }
}
