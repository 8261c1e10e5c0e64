import Foundation
import KAMCore
import KAMRuntime
import KAMServer
import KAMStore
import KAMTesting

/// `kam-bench serve [SECONDS] [PATH]`: the HTTP API under load, over loopback, at concurrency 32.
///
/// It starts the real server (`KAMAPI.application` on 127.0.0.1 and a free port, in this process) over a
/// copy of the 10k-client / 1M-activity synthetic store with the suggestion pass run on it, creates an
/// admin's API key, and points wrk (Debian's `wrk`, with `tools/serve-bench/kam.lua`) at three routes in turn
/// for SECONDS each (10 by default): `GET /clients/:id/context` for a random client, the suggestions
/// list, and `GET /health` (then `/health` again over one connection: the server's own latency, without 32
/// connections queueing for 2 cores). It reports requests/s and wrk's p50/p99 latency for each, plus the server's
/// CPU time per request, which does not depend on how loaded the machine is.
///
/// wrk runs on the same two cores as the server (one wrk thread, 32 connections), so the requests/s are
/// a lower bound of what the server alone does; the wrk CPU share is reported too. The per-user rate
/// limit stays on (set far above the load, so its cost is measured but nothing is refused), and the
/// runtime's clock is the store's `now`, so a context holds the last 30 days (~8 activities), as in
/// `kam-bench context`. Targets on 2 cores: >= 3,000 context requests/s with p99 < 20 ms; `/health` p99 < 2 ms.
/// `KAM_SERVE_BENCH_CONNECTIONS` and `KAM_SERVE_BENCH_THREADS` change wrk's concurrency and threads,
/// `KAM_SERVE_BENCH_ROUTES=context,health` measures only those, `KAM_SERVE_BENCH_CONTEXT_CACHE_MB=0` turns the
/// context cache off (`RuntimeOptions.contextCacheBytes`, 256 MiB by default) to measure every context read and
/// assembled. Before the runs every client's context is asked once in process, as a server that has answered for a
/// while with nothing written has them kept; `KAM_SERVE_BENCH_WARM=0` skips that (a run then starts from the ~4,000
/// clients the parts and the 2 s warm-up asked for).
enum ServeBench {
    static let benchmark = Benchmark(
        name: "serve",
        summary: "HTTP API at concurrency 32 over loopback with wrk: context, suggestions, health req/s and p50/p99 "
            + "(target >= 3,000 context req/s, p99 < 20 ms; health p99 < 2 ms)"
    ) { arguments in
        let seconds = arguments.first.flatMap(Int.init) ?? 10
        let path = arguments.dropFirst().first ?? "/tmp/kam-bench.sqlite"
        let environment = ProcessInfo.processInfo.environment
        let load = Load(
            wrk: try executable("wrk", hint: "install it with `apt-get install -y wrk`"), script: try scriptPath(),
            connections: environment["KAM_SERVE_BENCH_CONNECTIONS"].flatMap(Int.init) ?? 32,
            threads: environment["KAM_SERVE_BENCH_THREADS"].flatMap(Int.init) ?? 1, seconds: seconds)

        let (store, clients) = try servedStore(from: path)
        let asOf = SyntheticStore.Configuration().now
        // An admin: every client is in scope, so any of the 10,000 can be asked for.
        let admin = UserAccount(id: "bench-admin", name: "Bench Admin", email: "bench-admin@kam.example", role: .admin)
        if try UserRepository(store: store).account(id: admin.id) == nil { try UserRepository(store: store).add(admin) }
        let keys = APIKeyRepository(store: store)
        let (key, plaintext) = try keys.create(userID: admin.id, now: Date())
        defer { _ = try? keys.revoke(id: key.id, now: Date()) }
        // The per-user limit far above the load: the limiter runs on every request but never refuses.
        let configuration = KAMConfiguration(
            rateLimits: [RateLimitConfiguration(target: .perUser, requestsPerMinute: 1_000_000_000)])
        var options = RuntimeOptions(
            databasePath: store.path ?? path, configuration: configuration, environment: [:], now: { asOf })
        if let megabytes = environment["KAM_SERVE_BENCH_CONTEXT_CACHE_MB"].flatMap(Int.init) {
            options.contextCacheBytes = megabytes << 20
        }
        let runtime = try await Runtime.open(options, store: store)
        let api = KAMAPI(runtime: runtime)
        let suggestions = suggestionsPath(api.routeTable().descriptors.map(\.path))

        let parts = try partsOfContext(runtime: runtime, key: plaintext, clients: clients)

        let port = try freePort()
        let server = Task { try await api.application(host: "127.0.0.1", port: port).run() }
        defer { server.cancel() }
        try await waitUntilListening(port: port)

        let base = "http://127.0.0.1:\(port)"
        // Warm up: the tokenizer's table, the page cache, the connection pool of the store.
        _ = try await load.run(base: base, path: "/clients/{client}/context", key: plaintext, clients: clients, seconds: 2)
        // A server that has answered for a while with nothing written has every client's context kept (the cache holds
        // all 10,000): ask each client once, in process, so the runs measure that steady state, not how far a cold
        // cache filled during them. KAM_SERVE_BENCH_WARM=0 leaves it to the runs (the figures before this option).
        var warmed = 0.0
        if environment["KAM_SERVE_BENCH_WARM"] != "0", options.contextCacheBytes > 0 {
            guard case .valid(_, let user) = try runtime.apiKeys.authenticate(plaintext) else {
                throw ServeBenchError("the bench's key did not verify")
            }
            let start = now()
            for index in 0..<clients {
                _ = try runtime.contextJSON(clientID: SyntheticStore.clientID(index), budget: nil, as: user)
            }
            warmed = now() - start
        }

        var results: [BenchResult] = [
            BenchResult(benchmark: "serve", metric: "load average (1 min) before", value: loadAverage(), unit: "load")
        ]
        results += parts
        if warmed > 0 {
            results.append(
                BenchResult(
                    benchmark: "serve", metric: "every client's context asked once in process before the runs",
                    value: warmed, unit: "s", n: clients))
        }
        var targets: [(name: String, path: String, connections: Int)] = [
            ("context", "/clients/{client}/context", load.connections)
        ]
        if let suggestions { targets.append(("suggestions", suggestions, load.connections)) }
        targets.append(("health", "/health", load.connections))
        // One connection: the server's own latency on /health, without 32 connections queueing for 2 cores.
        targets.append(("health", "/health", 1))
        if let only = environment["KAM_SERVE_BENCH_ROUTES"]?.split(separator: ",").map(String.init) {
            targets = targets.filter { only.contains($0.name) }
        }
        for target in targets {
            let cacheBefore = runtime.contextCacheCounts
            let handledBefore = handledWithin(api.metrics, route: target.path)
            let run = try await load.run(
                base: base, path: target.path, key: plaintext, clients: clients, connections: target.connections)
            let cacheAfter = runtime.contextCacheCounts
            let label = target.name + (target.connections == load.connections ? "" : ", c=\(target.connections)")
            if run.failures > 0 {
                // Reported, not thrown: the other routes' figures still count.
                let sample = target.path.replacingOccurrences(of: "{client}", with: SyntheticStore.clientID(clients / 2))
                FileHandle.standardError.write(
                    Data(
                        ("kam-bench serve: \(target.name) (\(target.path)): \(run.failures) of \(run.requests) requests "
                            + "failed or were not 2xx; GET \(sample) answers: \(probe(base + sample, key: plaintext))\n").utf8))
                results.append(
                    BenchResult(
                        benchmark: "serve", metric: "\(label) failed or not 2xx", value: Double(run.failures),
                        unit: "requests", n: run.requests))
            }
            results.append(
                BenchResult(
                    benchmark: "serve", metric: "\(target.name) (\(target.path)) req/s, c=\(target.connections)",
                    value: run.requestsPerSecond, unit: "req/s", p50: run.p50, p99: run.p99, n: run.requests))
            results.append(
                BenchResult(
                    benchmark: "serve", metric: "\(label) server CPU per request", value: run.serverCPUPerRequest,
                    unit: "µs"))
            results.append(
                BenchResult(benchmark: "serve", metric: "\(label) wrk share of CPU", value: run.wrkShare, unit: "ratio"))
            // The server's own time on each request of the run (its request-duration histogram: arrival in the
            // middleware to the response head), apart from the time a request waited for a core among 32.
            let handled = handledWithin(api.metrics, route: target.path).subtracting(handledBefore)
            if handled.count > 0, let bound = handled.percentileBound(0.99) {
                results.append(
                    BenchResult(
                        benchmark: "serve", metric: "\(label) server's own time p99 at most", value: bound * 1000,
                        unit: "ms", n: handled.count))
            }
            let hits = cacheAfter.hits - cacheBefore.hits
            let asked = hits + cacheAfter.misses - cacheBefore.misses
            if target.name == "context", asked > 0 {
                // Random clients of 10,000: a client asked again while its context is kept is a hit.
                results.append(
                    BenchResult(
                        benchmark: "serve", metric: "\(target.name) answered from the context cache",
                        value: Double(hits) / Double(asked), unit: "ratio", n: asked))
            }
        }
        if suggestions == nil {
            FileHandle.standardError.write(Data("kam-bench serve: no suggestions list route yet; skipped it\n".utf8))
        }
        results.append(BenchResult(benchmark: "serve", metric: "load average (1 min) after", value: loadAverage(), unit: "load"))
        return results
    }

    /// What one context request does, part by part, on one thread without HTTP (µs, p50 and p99 over 1,000
    /// random clients): where the server's time per request goes.
    static func partsOfContext(runtime: Runtime, key: String, clients: Int) throws
        -> [BenchResult]
    {
        var times: [String: [Double]] = [:]
        var bytes = 0
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = now()
            let value = try body()
            times[name, default: []].append((now() - start) * 1e6)
            return value
        }
        var random = SystemRandomNumberGenerator()
        for round in 0..<1_200 {
            let id = SyntheticStore.clientID(Int.random(in: 0..<clients, using: &random))
            // As the route does: the key and its user's scope in one read, then the client and its memory in one.
            let caller = try timed("1 key and scope (kept after the first)") { try runtime.apiKeys.authenticate(key) }
            guard case .valid(_, let user) = caller else { throw ServeBenchError("the bench's key did not verify: \(caller)") }
            let context = try timed("2 client in scope + context (one read + assemble)") {
                try runtime.context(clientID: id, budget: nil, as: user)
            }
            let data = try timed("3 JSON encoding") { try context.encodedJSON() }
            // The route's call: the same client again, now kept (a read of the data version and a copy).
            _ = try runtime.contextJSON(clientID: id, budget: nil, as: user)
            _ = try timed("4 the same context again, kept (contextJSON)") {
                try runtime.contextJSON(clientID: id, budget: nil, as: user)
            }
            if round < 200 { times = [:] } else { bytes += data.count }  // the first 200 warm up
        }
        return times.keys.sorted().map { name in
            let sorted = times[name]!.sorted()
            return BenchResult(
                benchmark: "serve", metric: "in-process \(name)" + (name.hasPrefix("3") ? " (\(bytes / sorted.count) bytes)" : ""),
                value: sorted.reduce(0, +) / Double(sorted.count), unit: "µs", p50: percentile(sorted, 50),
                p99: percentile(sorted, 99), n: sorted.count)
        }
    }

    /// The server's request-duration histogram for one route template, read from its Prometheus text.
    static func handledWithin(_ metrics: ServerMetrics, route: String) -> HandledTimes {
        HandledTimes(
            prometheusText: metrics.registry.emitToString(), metric: "kam_http_request_duration_seconds", route: route)
    }

    /// The suggestions list route: `GET /suggestions` when it exists, else a client's list.
    static func suggestionsPath(_ paths: [String]) -> String? {
        if paths.contains("/suggestions") { return "/suggestions" }
        if let path = paths.first(where: { $0.hasPrefix("/clients/:") && $0.hasSuffix("/suggestions") }) {
            return path.split(separator: "/").map { $0.hasPrefix(":") ? "{client}" : String($0) }.reduce("") { $0 + "/" + $1 }
        }
        return nil
    }

    /// A copy of the synthetic store with the suggestion pass run on it (as `kam suggest run --all` would),
    /// kept next to it and reused while the copy is complete; the shared file stays unchanged.
    static func servedStore(from path: String) throws -> (ClientStore, Int) {
        let (original, summary) = try SyntheticStore.generate(path: path)
        let copy = path + ".serve"
        let ready = copy + ".ready"
        let asOf = SyntheticStore.Configuration().now
        // The marker is written last, so a copy with it is complete (its counts differ from the original's
        // only by the bench's admin user).
        if !summary.generated, FileManager.default.fileExists(atPath: ready),
            let store = try? ClientStore.open(path: copy, now: { asOf }), (try? store.counts())?.clients == summary.counts.clients
        {
            return (store, summary.clientIDs.count)
        }
        for suffix in ["", "-wal", "-shm", ".ready"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        try original.copy(to: copy)
        let store = try ClientStore.open(path: copy, now: { asOf })
        var counter = 0
        _ = try SuggestionPass(memory: store, health: HealthRepository(store: store), suggestions: SuggestionRepository(store: store)).run(clientIDs: summary.clientIDs, now: asOf) {
            counter += 1
            return "s-serve-\(counter)"
        }
        _ = FileManager.default.createFile(atPath: ready, contents: Data("\(counter)\n".utf8))
        return (store, summary.clientIDs.count)
    }

    /// wrk with the KAM script, and what one run of it measured.
    struct Load {
        var wrk: String
        var script: String
        var connections: Int
        var threads: Int
        var seconds: Int

        struct Run {
            var requests: Int
            var requestsPerSecond: Double
            /// Milliseconds.
            var p50: Double
            var p99: Double
            var failures: Int
            var serverCPUPerRequest: Double
            var wrkShare: Double
        }

        /// wrk's JSON line (`done` in kam.lua).
        struct Report: Decodable {
            var requests: Int
            var duration_us: Double
            var p50_us: Double
            var p99_us: Double
            var status_errors: Int
            var connect_errors: Int
            var read_errors: Int
            var write_errors: Int
            var timeouts: Int
        }

        func run(
            base: String, path: String, key: String, clients: Int, seconds: Int? = nil, connections: Int? = nil
        ) async throws -> Run {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = [
                "-t\(threads)", "-c\(connections ?? self.connections)", "-d\(seconds ?? self.seconds)s", "--timeout", "30s", "-s", script, base, "--", path, key,
                String(clients),
            ]
            // wrk's report goes to a file and its exit arrives through the termination handler, so no thread of
            // the server's cooperative pool (2 on 2 cores) is blocked waiting for it.
            let reportPath = NSTemporaryDirectory() + "kam-bench-serve-\(getpid()).json"
            defer { try? FileManager.default.removeItem(atPath: reportPath) }
            _ = FileManager.default.createFile(atPath: reportPath, contents: nil)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: reportPath))
            defer { try? output.close() }
            process.standardOutput = output
            let serverBefore = cpuSeconds(RUSAGE_SELF.rawValue)
            let wrkBefore = cpuSeconds(RUSAGE_CHILDREN.rawValue)
            let status: Int32 = try await withCheckedThrowingContinuation { continuation in
                process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                do { try process.run() } catch { continuation.resume(throwing: error) }
            }
            let serverCPU = cpuSeconds(RUSAGE_SELF.rawValue) - serverBefore
            let wrkCPU = cpuSeconds(RUSAGE_CHILDREN.rawValue) - wrkBefore
            let data = FileManager.default.contents(atPath: reportPath) ?? Data()
            let text = String(decoding: data, as: UTF8.self)
            guard status == 0,
                let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
                let report = try? JSONDecoder().decode(Report.self, from: Data(line.utf8))
            else {
                throw ServeBenchError("wrk exited with \(status) and no report: \(text)")
            }
            let failures = report.status_errors + report.connect_errors + report.read_errors + report.write_errors
                + report.timeouts
            return Run(
                requests: report.requests, requestsPerSecond: Double(report.requests) / (report.duration_us / 1e6),
                p50: report.p50_us / 1000, p99: report.p99_us / 1000, failures: failures,
                serverCPUPerRequest: serverCPU / Double(max(1, report.requests)) * 1e6,
                wrkShare: wrkCPU / max(1e-9, serverCPU + wrkCPU))
        }
    }

    /// The status and the start of the body of one GET, through curl, to say why a run failed.
    static func probe(_ url: String, key: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-H", "Authorization: Bearer \(key)", "-w", " (HTTP %{http_code})", url]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "(curl did not run)" }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.count > 600 ? String(text.prefix(300)) + " ... " + String(text.suffix(300)) : text
    }

    /// User plus system CPU seconds of this process or of its waited-for children.
    static func cpuSeconds(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func loadAverage() -> Double {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.flatMap { Double(String($0)) } ?? .nan
    }

    /// A port nobody listens on now: the kernel picks one for a socket bound to port 0.
    static func freePort() throws -> Int {
        do {
            let (descriptor, port) = try LoopbackSocket.bound(listening: false)
            close(descriptor)
            return port
        } catch {
            throw ServeBenchError("cannot find a free port: \(error)")
        }
    }

    /// Waits (up to 10 s) until something accepts connections on 127.0.0.1:`port`.
    static func waitUntilListening(port: Int) async throws {
        for _ in 0..<200 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ServeBenchError("the server did not start listening on 127.0.0.1:\(port) within 10 s")
    }

    /// The full path of `name` on PATH.
    static func executable(_ name: String, hint: String) throws -> String {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        guard let found = folders.map({ "\($0)/\(name)" }).first(where: FileManager.default.isExecutableFile) else {
            throw ServeBenchError("\(name) is not on PATH; \(hint)")
        }
        return found
    }

    /// tools/serve-bench/kam.lua: `KAM_SERVE_BENCH_SCRIPT`, else in the current folder's tools/, else next to
    /// this source file's repository.
    static func scriptPath() throws -> String {
        let candidates = [
            ProcessInfo.processInfo.environment["KAM_SERVE_BENCH_SCRIPT"],
            "tools/serve-bench/kam.lua",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("tools/serve-bench/kam.lua").path,
        ].compactMap { $0 }
        guard let found = candidates.first(where: FileManager.default.fileExists) else {
            throw ServeBenchError(
                "tools/serve-bench/kam.lua not found (looked in \(candidates.joined(separator: ", "))); run from the "
                    + "repository or set KAM_SERVE_BENCH_SCRIPT")
        }
        return found
    }
}

/// Why `kam-bench serve` could not measure.
struct ServeBenchError: Error, CustomStringConvertible {
    var code = "bench.serve"
    var description: String

    init(_ message: String) { description = message }
}
