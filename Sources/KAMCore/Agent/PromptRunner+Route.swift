extension PromptRunner {
    /// A runner over one resilient chain shared by every call (so its rate limiter holds across calls);
    /// each call gets a copy that reports its attempts to that call's meter, and reservations cover
    /// the dearest model of the route's fallbacks.
    ///
    /// - Parameter wrap: wraps each call's provider (an evaluation puts its replay cache in front).
    public init(
        meter: CallMeter, route: ModelRoute, chain: ResilientProvider, counter: any TokenCounting,
        wrap: @escaping @Sendable (any ModelProvider) -> any ModelProvider = { $0 }
    ) {
        self.init(meter: meter, providerName: route.primary.provider.name, counter: counter) { observer in
            var provider = chain
            provider.observer = observer
            return wrap(provider)
        }
        fallbacks = route.fallbacks.map { ($0.modelID, $0.provider.name) }
        backendKind = route.primary.provider.kind
    }
}

extension PromptRunner.Options {
    /// Options for a call on `route`: its primary model, that model's output limit and sampling options when
    /// configured; an openai-compatible (local) model's answers are streamed, so a runaway is stopped early.
    public init(route: ModelRoute, onDelta: (@Sendable (String) -> Void)? = nil) {
        self.init(
            model: route.primary.modelID, maxOutputTokens: route.primary.maxOutputTokens,
            extraOptions: route.primary.options, onDelta: onDelta, stream: route.primary.provider.kind == .openaiCompatible)
    }
}
