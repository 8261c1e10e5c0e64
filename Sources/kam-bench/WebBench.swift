import Foundation
import KAMCore
import KAMRuntime
import KAMServer
import KAMStore
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `kam-bench web [REQUESTS]`: how long each page of the web page (`/app`) takes, served by the real server over
/// loopback, one request at a time, for a signed-in admin (who sees the most).
///
/// The store is the demo's (`DemoSeeder`, with its stored daily plans and drafts) plus one client with 1,000
/// activities over 60 days, 40 remembered facts and 30 health scores. Each page is asked 3 times to warm up, then
/// REQUESTS times (30 by default); the median, p95 and largest time from request to the last byte are reported,
/// so the figures include loopback and HTTP (about 0.2 ms). Targets: every page < 100 ms on the demo store, the big
/// client's page < 300 ms.
enum WebBench {
    static let benchmark = Benchmark(
        name: "web",
        summary: "The web page's pages over loopback, one request at a time: median/p95/max ms per page (target < 100 ms "
            + "on the demo store, < 300 ms for a client with 1,000 activities)"
    ) { arguments in
        let requests = arguments.first.flatMap(Int.init) ?? 30
        let asOf = Date(timeIntervalSince1970: 1_790_000_000)
        let store = try ClientStore.inMemory(now: { asOf })
        try DemoSeeder.seedDemo(into: store, now: asOf)
        try addBigClient(store, now: asOf)
        let runtime = try await Runtime.open(
            RuntimeOptions(
                configuration: KAMConfiguration(
                    rateLimits: [RateLimitConfiguration(target: .perUser, requestsPerMinute: 1_000_000_000)]),
                environment: [:], now: { asOf }),
            store: store)
        _ = try await runtime.plans.review(userID: "maria", in: TimeZone(identifier: "UTC")!, at: asOf)
        let maria = ActingUser("maria")
        for kind in [DraftKind.followUp, .checkIn, .dealUpdate] {
            for client in ["acme", "bench-big", "globex"] {
                _ = try await runtime.drafts.generate(
                    client: try runtime.client(client, as: maria), kind: kind, hint: "bench", as: maria)
            }
        }
        let key = try APIKeyRepository(store: store).create(userID: "maria", now: asOf).plaintext
        let (_, token) = try runtime.webSessions.signIn(apiKey: key)

        let api = KAMAPI(runtime: runtime)
        let port = try ServeBench.freePort()
        let server = Task { try await api.application(host: "127.0.0.1", port: port).run() }
        defer { server.cancel() }
        try await ServeBench.waitUntilListening(port: port)

        let pages = [
            "/app/today", "/app/clients", "/app/clients?sort=health", "/app/clients/acme", "/app/review", "/app/analytics",
            "/app/prompts", "/app/prompts/draft.follow-up-email", "/app/clients/bench-big",
        ]
        var results = [BenchResult(benchmark: "web", metric: "load average (1 min) before", value: ServeBench.loadAverage(), unit: "load")]
        let session = URLSession(configuration: .ephemeral)
        for page in pages {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(page)")!)
            request.setValue("kam_session=\(token)", forHTTPHeaderField: "Cookie")
            var times: [Double] = []
            var bytes = 0
            for index in 0..<(requests + 3) {
                let start = now()
                let (data, response) = try await session.data(for: request)
                let elapsed = now() - start
                guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                    throw ServeBenchError("\(page) answered \((response as? HTTPURLResponse)?.statusCode ?? 0)")
                }
                bytes = data.count
                if index >= 3 { times.append(elapsed * 1000) }
            }
            times.sort()
            let p95 = times[min(times.count - 1, Int(Double(times.count) * 0.95))]
            results.append(BenchResult(benchmark: "web", metric: "\(page) median", value: times[times.count / 2], unit: "ms", n: times.count))
            results.append(BenchResult(benchmark: "web", metric: "\(page) p95", value: p95, unit: "ms", n: times.count))
            results.append(BenchResult(benchmark: "web", metric: "\(page) max", value: times.last ?? 0, unit: "ms", n: times.count))
            results.append(BenchResult(benchmark: "web", metric: "\(page) size", value: Double(bytes) / 1024, unit: "KiB"))
        }
        return results
    }

    /// `bench-big`, owned by maria: 1,000 activities over the last 60 days, 40 facts, 30 daily health scores.
    static func addBigClient(_ store: ClientStore, now: Date) throws {
        _ = try store.upsertClient(
            Client(
                id: "bench-big", name: "Big Account", tier: .enterprise, ownerID: "maria", domain: "big.example",
                consentAIAnalysis: true, createdAt: now.addingTimeInterval(-400 * 86_400)))
        let kinds: [ActivityKind] = [.email, .call, .meeting, .note]
        for index in 0..<1_000 {
            _ = try store.upsertActivity(
                Activity(
                    clientID: "bench-big", externalID: "bench-\(index)", kind: kinds[index % kinds.count],
                    direction: index % 3 == 0 ? .inbound : .outbound,
                    occurredAt: now.addingTimeInterval(-Double(index) * 60 * 86.4),
                    subject: "Topic \(index % 17): the rollout of line \(index % 5)",
                    body: "Notes of exchange \(index): pricing, timing and the inspection schedule were discussed at length; "
                        + "next steps agreed with the plant manager.", sentiment: Double(index % 7 - 3) / 10))
        }
        for index in 0..<40 {
            try store.remember(clientID: "bench-big", text: "Remembered fact number \(index) about the account", source: "import:bench")
        }
        let health = HealthRepository(store: store)
        for day in 0..<30 {
            try health.record(
                HealthScore(
                    clientID: "bench-big", score: 50 + day % 20, band: .atRisk, factors: [],
                    computedAt: now.addingTimeInterval(-Double(30 - day) * 86_400)))
        }
    }
}
