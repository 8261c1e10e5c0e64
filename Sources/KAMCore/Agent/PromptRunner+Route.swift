extension PromptRunner {
    /// A runner over one resilient chain shared by every call (so its rate limiter holds across calls);
    /// each call gets a copy that reports its attempts to that call's meter, and reservations cover
    /// the dearest model of the route's fallbacks.
    public init(meter: CallMeter, route: ModelRoute, chain: ResilientProvider, counter: any TokenCounting) {
        self.init(meter: meter, providerName: route.primary.provider.name, counter: counter) { observer in
            var provider = chain
            provider.observer = observer
            return provider
        }
        fallbacks = route.fallbacks.map { ($0.modelID, $0.provider.name) }
    }
}
