/// Builds the runner for a prompt: the prompt's model route, the provider chain for that route and a
/// meter over the budget and usage ledgers.
///
/// The core asks for runners through this protocol; `KAMRuntime.RunnerFactory` is the one real
/// implementation, and tests pass a scripted one.
public protocol PromptRunnerMaking: Sendable {
    /// The runner for `promptID` with its route (primary model first, then fallbacks).
    /// - Throws: `ConfigurationError` when the configuration cannot route the prompt.
    func runner(forPrompt promptID: String) throws -> RoutedRunner
}

/// A runner and the route it calls, so a caller can ask for the route's model and output limit.
public struct RoutedRunner: Sendable {
    public var runner: PromptRunner
    public var route: ModelRoute

    public init(runner: PromptRunner, route: ModelRoute) {
        self.runner = runner
        self.route = route
    }

    /// Options for a call on this route: its primary model, and that model's output limit when configured.
    public func options(onDelta: (@Sendable (String) -> Void)? = nil) -> PromptRunner.Options {
        PromptRunner.Options(route: route, onDelta: onDelta)
    }
}
