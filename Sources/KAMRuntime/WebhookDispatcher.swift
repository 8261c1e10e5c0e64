import Foundation

/// The background task of `kam serve` that delivers outbound webhooks: every `interval` it fans new
/// events out to the subscriptions and attempts the deliveries that are due (`WebhookService.deliverDue`).
/// A pass that fails (the store busy) is logged and the next pass tries again.
///
/// For example:
/// ```swift
/// let dispatcher = Task { await WebhookDispatcher(runtime: runtime).run() }
/// defer { dispatcher.cancel() }
/// ```
public struct WebhookDispatcher: Sendable {
    public let runtime: Runtime
    public var interval: Duration
    public var policy: WebhookRetryPolicy

    public init(runtime: Runtime, interval: Duration = .seconds(5), policy: WebhookRetryPolicy = WebhookRetryPolicy()) {
        self.runtime = runtime
        self.interval = interval
        self.policy = policy
    }

    /// Delivers until the task is cancelled, sleeping `interval` on the runtime's clock between passes.
    public func run() async {
        await PeriodicPass.run(every: interval, runtime: runtime, failure: "webhook delivery pass failed") {
            _ = try await runtime.webhooks.deliverDue(policy: policy)
        }
    }
}
