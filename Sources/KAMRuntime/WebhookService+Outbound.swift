import Foundation
import KAMCore
import KAMProviders
import KAMStore

/// Outbound webhooks: subscriptions to event kinds, and their delivery (a POST of the event as JSON,
/// signed like the inbound webhook, `X-KAM-Signature: t=...,v1=...`), retried with exponential backoff
/// (`WebhookRetryPolicy`) and logged in `webhook_deliveries`. `kam serve` delivers in the background
/// (`WebhookDispatcher`); `kam webhooks deliver` delivers what is due once.
///
/// For example:
/// ```swift
/// let added = try runtime.webhooks.subscribe(url: "https://hooks.example/kam", events: [.draftApproved], as: .anonymous)
/// let report = try await runtime.webhooks.deliverDue()
/// ```
extension WebhookService {
    var subscriptions: any WebhookSubscriptionStoring { runtime.webhookSubscriptions }

    /// A new subscription, and its secret when KAM made it (shown once).
    public struct Subscribed: Codable, Sendable, Hashable {
        public var subscription: WebhookSubscription
        public var secret: String?
    }

    /// Subscribes `url` to `events`. The secret is `secret` when given, read from `secretEnv` at each
    /// delivery when given, else made here and returned once. Events name every client's ids, so only an
    /// admin (or a local run without `--user`) may subscribe.
    ///
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `webhook.url-invalid` (`.invalidInput`)
    ///   for a URL that is not http(s), `webhook.events-missing` for no events.
    public func subscribe(
        url: String, events: [EventKind], secret: String? = nil, secretEnv: String? = nil, as user: ActingUser
    ) throws -> Subscribed {
        try runtime.requireAdmin(user, for: "subscribing a webhook")
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
            parsed.host?.isEmpty == false
        else {
            throw RuntimeError(
                .invalidInput, code: "webhook.url-invalid", "'\(url)' is not an http or https URL with a host")
        }
        guard !events.isEmpty else {
            throw RuntimeError(
                .invalidInput, code: "webhook.events-missing",
                "name at least one event: " + EventKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let made = secret == nil && secretEnv == nil ? WebhookSignature.newSecret() : nil
        let stored: WebhookSecret = secretEnv.map(WebhookSecret.environment) ?? .stored(secret ?? made!)
        let subscription = try subscriptions.add(
            id: runtime.ids.make(.webhook), url: url, events: events.map(\.rawValue), secret: stored, now: runtime.now())
        return Subscribed(subscription: subscription, secret: made)
    }

    /// Every subscription (without secrets).
    public func listSubscriptions() throws -> [WebhookSubscription] { try subscriptions.list() }

    /// Stops delivering to subscription `id`; only an admin (or a local run) may.
    /// - Throws: `RoleRefusal` for a member or manager; `RuntimeError` `webhook.not-found`.
    public func unsubscribe(_ id: String, as user: ActingUser) throws {
        try runtime.requireAdmin(user, for: "removing a webhook")
        guard try subscriptions.disable(id: id, now: runtime.now()) else {
            throw RuntimeError(
                .notFound, code: "webhook.not-found", "no enabled webhook has id '\(id)'; `kam webhooks list` shows them")
        }
    }

    /// The delivery log, newest first.
    public func deliveries(failedOnly: Bool = false, limit: Int = 100) throws -> [WebhookDelivery] {
        try subscriptions.deliveries(failedOnly: failedOnly, limit: limit)
    }

    /// Deliveries and their attempts by event kind and status, for `/metrics`.
    public func deliveryCounts() throws -> [WebhookDeliveryCount] { try subscriptions.deliveryCounts() }

    /// What one pass of `deliverDue` did.
    public struct DeliveryReport: Codable, Sendable, Hashable {
        public var attempted = 0
        public var delivered = 0
        /// Failed attempts that will be tried again.
        public var retrying = 0
        /// Deliveries that failed their last attempt.
        public var failed = 0
    }

    /// Fans new events out to the subscriptions (the `WebhookFanOut` consumer, caught up with the log), then
    /// attempts every delivery due now, once.
    ///
    /// Receivers are served concurrently, at most `policy.concurrency` at once, so a receiver that does not answer
    /// delays only its own deliveries; one receiver gets its deliveries one after another, in the order their events
    /// happened. A receiver that cannot be reached (no HTTP status) costs one attempt a pass: its other due deliveries
    /// are left untouched for the next pass rather than each waiting out the same timeout.
    public func deliverDue(policy: WebhookRetryPolicy = WebhookRetryPolicy(), limit: Int = 100) async throws
        -> DeliveryReport
    {
        try await runtime.events.drain(WebhookFanOut(runtime: runtime))
        var lanes: [[WebhookDue]] = []
        var lane: [String: Int] = [:]
        for due in try subscriptions.due(now: runtime.now(), limit: limit) {
            let id = due.delivery.subscriptionID
            if let index = lane[id] {
                lanes[index].append(due)
            } else {
                lane[id] = lanes.count
                lanes.append([due])
            }
        }
        return try await withThrowingTaskGroup(of: DeliveryReport.self) { group in
            var waiting = lanes.makeIterator()
            for _ in 0..<max(1, policy.concurrency) {
                guard let next = waiting.next() else { break }
                group.addTask { try await deliver(next, policy: policy) }
            }
            var report = DeliveryReport()
            while let done = try await group.next() {
                report.attempted += done.attempted
                report.delivered += done.delivered
                report.retrying += done.retrying
                report.failed += done.failed
                if let next = waiting.next() { group.addTask { try await deliver(next, policy: policy) } }
            }
            return report
        }
    }

    /// Attempts one receiver's due deliveries in order, stopping at the first that cannot reach it.
    private func deliver(_ lane: [WebhookDue], policy: WebhookRetryPolicy) async throws
        -> DeliveryReport
    {
        var report = DeliveryReport()
        for due in lane {
            try Task.checkCancellation()
            report.attempted += 1
            let (status, error) = await attempt(due, timeout: policy.timeout)
            let now = runtime.now()
            let delivered = status.map { (200..<300).contains($0) } ?? false
            let attempt = due.delivery.attempts + 1
            let next = delivered ? nil : policy.nextAttempt(after: attempt, at: now)
            try subscriptions.recordAttempt(
                id: due.delivery.id, delivered: delivered, responseStatus: status, error: error, nextAttemptAt: next,
                now: now)
            if delivered {
                report.delivered += 1
            } else if next == nil {
                report.failed += 1
                runtime.options.logger.warning(
                    "webhook delivery failed",
                    metadata: ["delivery": "\(due.delivery.id)", "event": "\(due.event.kind)", "attempts": "\(attempt)"])
            } else {
                report.retrying += 1
            }
            if status == nil { break }
        }
        return report
    }

    /// The event's JSON: `{"id", "type", "occurred_at", "data"}`.
    static func body(_ event: StoredEvent) -> Data {
        let occurred = ISO8601DateFormatter().string(from: event.occurredAt)
        let type = String(decoding: (try? JSONEncoder().encode(event.kind)) ?? Data("\"\"".utf8), as: UTF8.self)
        return Data("{\"id\":\(event.id),\"type\":\(type),\"occurred_at\":\"\(occurred)\",\"data\":\(event.payload)}".utf8)
    }

    /// One POST; the receiver's status, or nil and why it could not be reached.
    private func attempt(_ due: WebhookDue, timeout: Duration) async -> (Int?, String?) {
        let secret: String
        do {
            secret = try subscriptionSecret(due.delivery.subscriptionID)
        } catch {
            return (nil, "\(error)")
        }
        let body = Self.body(due.event)
        let request = HTTPRequestData(
            method: "POST", url: due.delivery.url,
            headers: [
                "Content-Type": "application/json", "User-Agent": "kam-webhooks/1",
                WebhookSignature.headerName: WebhookSignature.header(secret: secret, timestamp: runtime.now(), body: body),
                "X-KAM-Event": due.event.kind, "X-KAM-Delivery": String(due.delivery.id),
            ], body: body)
        do {
            let response = try await runtime.options.webhookTransport.send(request, timeout: timeout)
            let ok = (200..<300).contains(response.status)
            return (response.status, ok ? nil : "the receiver answered HTTP \(response.status)")
        } catch {
            return (nil, "\(error)")
        }
    }

    private func subscriptionSecret(_ id: String) throws -> String {
        guard let secret = try subscriptions.secret(of: id) else {
            throw RuntimeError(.notFound, code: "webhook.not-found", "webhook \(id) no longer exists")
        }
        return try resolve(secret, of: "webhook \(id)")
    }
}
