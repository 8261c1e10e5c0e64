import Foundation
import KAMCore
import KAMRuntime
import Prometheus

/// The server's Prometheus metrics (`GET /metrics`, text format 0.0.4), kept in a swift-prometheus registry of its
/// own, so each `KAMAPI` (and each test) counts apart and nothing is bootstrapped globally.
///
/// Requests, latencies and refusals are counted as they happen; model calls, tokens, cost, the budgets'
/// remaining amounts and outbound webhook deliveries are read from the store at scrape time, so they include
/// what other processes did.
///
/// For example:
/// ```swift
/// let text = try await api.metrics.scrape(runtime)
/// // kam_http_requests_total{method="GET",route="/clients",status="200"} 3
/// ```
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()

    /// Latency buckets, 1 ms to 10 s.
    static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        .seconds(10),
    ]

    public init() {}

    /// One answered request: counted by route (the template, never the ids in the path) and status, timed by route.
    public func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.metric("kam_http_requests_total", "HTTP requests answered, by method, route and status"),
            labels: [("method", method), ("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.metric(
                "kam_http_request_duration_seconds", "Time from a request's arrival to its response head, by route"),
            labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// A request refused with 429; `limit` is `per_user` or `route`.
    public func recordRateLimitRefusal(limit: String, route: String) {
        registry.makeCounter(
            descriptor: Self.metric(
                "kam_rate_limit_refusals_total", "Requests refused with 429, by the limit that refused them and the route"),
            labels: [("limit", limit), ("route", route)]
        ).increment()
    }

    /// The metrics as Prometheus text, after reading model usage and budgets from the ledger and outbound
    /// webhook deliveries from their log.
    public func scrape(_ runtime: Runtime) async throws -> String {
        for totals in try await runtime.usage.totals(by: .model) {
            let labels = [("model", totals.key)]
            gauge("kam_model_calls", labels, "Model calls logged (failed and refused ones included), by model")
                .set(Double(totals.calls))
            gauge("kam_model_call_failures", labels, "Model calls that failed or were refused, by model")
                .set(Double(totals.failures + totals.refused))
            gauge(
                "kam_model_tokens", labels + [("direction", "input")], "Tokens sent and received, by model")
                .set(Double(totals.inputTokens))
            gauge(
                "kam_model_tokens", labels + [("direction", "output")], "Tokens sent and received, by model")
                .set(Double(totals.outputTokens))
            gauge("kam_model_cost_dollars", labels, "Cost of the logged model calls in dollars, by model")
                .set(totals.cost.dollars)
        }
        for status in try await runtime.ledger.statuses() {
            let labels = [
                ("budget", status.budget.id), ("scope", status.budget.scope.description),
                ("period", status.budget.period.rawValue),
            ]
            gauge("kam_budget_remaining_dollars", labels, "What a budget has left in its current window, in dollars")
                .set(status.remaining.dollars)
            gauge("kam_budget_spent_dollars", labels, "What a budget's window has spent, in dollars")
                .set(status.spent.dollars)
        }
        for count in try runtime.webhooks.deliveryCounts() {
            let labels = [("event", count.event), ("status", count.status.rawValue)]
            gauge("kam_webhook_deliveries", labels, "Outbound webhook deliveries, by event and status (pending, delivered, failed)")
                .set(Double(count.deliveries))
            gauge("kam_webhook_delivery_attempts", labels, "Attempts made by the outbound webhook deliveries, by event and status")
                .set(Double(count.attempts))
        }
        return registry.emitToString()
    }

    private func gauge(_ name: String, _ labels: [(String, String)], _ help: String) -> Gauge {
        registry.makeGauge(descriptor: Self.metric(name, help), labels: labels)
    }

    /// A metric named `name` whole: KAM's names already end in their unit (`_total`, `_seconds`, `_dollars`), so the
    /// descriptor's unit is left empty rather than split off the name.
    private static func metric(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
