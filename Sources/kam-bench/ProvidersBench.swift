import Foundation
import KAMCore
import KAMProviders
import KAMTesting
import Synchronization

/// `kam-bench providers`: the runtime's own cost per call, and throughput against a slow fake server.
///
/// 1. Overhead: encode → MockTransport (answers at once) → decode → resilience wrapper, so the time
///    is all KAM's (target p50 < 1 ms).
/// 2. 1,000 calls at concurrency 16 over real HTTP (async-http-client) to `tools/fault-provider`
///    answering after 100 ms; the ideal is 1000 / 16 × 0.1 s = 6.25 s (target ≤ 1.1 × ideal).
///    `--fault-url URL` uses a running fault provider instead of starting one; `--calls N` and
///    `--concurrency N` change the load.
extension ProvidersBench {
    static let benchmark = Benchmark(
        name: "providers", summary: "per-call runtime overhead; 1,000 calls at concurrency 16 against a 100 ms fake"
    ) { arguments in
        var results = try await ProvidersBench.overhead(calls: Int(option("--overhead-calls", in: arguments) ?? "") ?? 20_000)
        results += try await ProvidersBench.concurrency(
            calls: Int(option("--calls", in: arguments) ?? "") ?? 1000,
            concurrency: Int(option("--concurrency", in: arguments) ?? "") ?? 16,
            faultURL: option("--fault-url", in: arguments))
        return results
    }
}

enum ProvidersBench {
    static let schema: JSONValue = [
        "type": "object",
        "properties": ["subject": ["type": "string", "maxLength": 80], "body": ["type": "string", "maxLength": 600]],
        "required": ["subject", "body"], "additionalProperties": false,
    ]

    static func request(model: String) -> ChatRequest {
        ChatRequest(
            model: model,
            messages: [
                .system("You write follow-up emails for account managers. Answer in JSON."),
                .user(String(repeating: "Client Acme Logistics renews in September; prefers email. ", count: 20)),
            ],
            temperature: 0.2, maxOutputTokens: 400, outputSchema: schema, schemaName: "follow_up_email",
            metadata: ["prompt_id": "follow-up-email", "prompt_version": 3])
    }

    static func overhead(calls: Int) async throws -> [BenchResult] {
        let body = Data(
            #"{"id":"chatcmpl-1","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"{\"subject\":\"Renewal\",\"body\":\"Hello Acme, following up on the September renewal.\"}","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":412,"completion_tokens":31,"total_tokens":443,"prompt_tokens_details":{"cached_tokens":0}}}"#
                .utf8)
        let transport = MockTransport { _ in HTTPResponseData(status: 200, headers: ["content-type": "application/json"], body: body) }
        let provider = ResilientProvider(
            routes: [ProviderRoute(provider: OpenAIProvider(apiKey: "sk-bench", transport: transport)), ProviderRoute(provider: OfflineProvider())],
            observer: AttemptObserver { _ in })
        let request = request(model: "gpt-4o-mini")
        for _ in 0..<500 { _ = try await provider.complete(request) }
        var samples: [Double] = []
        samples.reserveCapacity(calls)
        for _ in 0..<calls {
            let start = now()
            let response = try await provider.complete(request)
            samples.append((now() - start) * 1000)
            precondition(response.usage.outputTokens == 31)
        }
        samples.sort()
        return [
            BenchResult(
                benchmark: "providers", metric: "overhead_per_call", value: percentile(samples, 50), unit: "ms",
                p50: percentile(samples, 50), p99: percentile(samples, 99), n: calls)
        ]
    }

    static func concurrency(calls: Int, concurrency: Int, faultURL: String?) async throws -> [BenchResult] {
        var server: Process?
        let base: String
        if let faultURL {
            base = faultURL
        } else {
            let started = try startFaultProvider()
            server = started.0
            base = started.1
        }
        defer { server?.terminate() }
        let transport = AsyncHTTPClientTransport(configuration: .init(maxConnectionsPerHost: max(concurrency * 2, 8)))
        defer { Task { try? await transport.shutdown() } }
        let provider = ResilientProvider(
            routes: [ProviderRoute(provider: OpenAIProvider(apiKey: "sk-bench", baseURL: base + "/v1", transport: transport))],
            policy: RetryPolicy(maxAttempts: 1))
        let request = request(model: "fault:latency-100ms")
        // Warm the connection pool so connection set-up is not in the measurement.
        try await run(calls: concurrency, concurrency: concurrency, provider: provider, request: request)
        let start = now()
        let latencies = try await run(calls: calls, concurrency: concurrency, provider: provider, request: request)
        let wall = now() - start
        let ideal = Double(calls) / Double(concurrency) * 0.1
        let sorted = latencies.sorted()
        return [
            BenchResult(benchmark: "providers", metric: "concurrent_wall_time", value: wall, unit: "s", n: calls),
            BenchResult(benchmark: "providers", metric: "concurrent_wall_over_ideal", value: wall / ideal, unit: "x", n: calls),
            BenchResult(
                benchmark: "providers", metric: "concurrent_call_latency", value: percentile(sorted, 50), unit: "ms",
                p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: calls),
        ]
    }

    @discardableResult
    static func run(calls: Int, concurrency: Int, provider: ResilientProvider, request: ChatRequest) async throws -> [Double] {
        try await withThrowingTaskGroup(of: [Double].self) { group in
            let next = Counter()
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    while next.take() < calls {
                        let start = now()
                        _ = try await provider.complete(request)
                        latencies.append((now() - start) * 1000)
                    }
                    return latencies
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
    }

    /// Starts `tools/fault-provider` (found from the current directory up) and returns its URL.
    static func startFaultProvider() throws -> (Process, String) {
        var directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var script: URL?
        for _ in 0..<6 {
            let candidate = directory.appendingPathComponent("tools/fault-provider")
            if FileManager.default.fileExists(atPath: candidate.path) {
                script = candidate
                break
            }
            directory.deleteLastPathComponent()
        }
        guard let script else {
            throw BenchError(message: "tools/fault-provider not found from \(FileManager.default.currentDirectoryPath); run from the package root or pass --fault-url")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--port", "0", "--max-seconds", "900", "--exit-with-parent"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        return (process, String(decoding: line, as: UTF8.self))
    }

    struct BenchError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Hands out call numbers to the workers.
    final class Counter: Sendable {
        private let value = Mutex(0)
        func take() -> Int {
            value.withLock { next in
                defer { next += 1 }
                return next
            }
        }
    }
}
