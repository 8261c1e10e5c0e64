import Foundation
import KAMCore
import KAMTesting

/// `kam-bench email identify`: how many sender variants (exact, case, plus-addressing, subdomain, new
/// person, relays through Reply-To, Sender, X-Original-From, Resent-From, forwarded and quoted originals)
/// `ClientMatcher` assigns to the right client, how many strangers it wrongly assigns, and its speed.
/// Goal (issue 12): ≥ 99 % matched, zero false matches.
enum EmailIdentifyBench {
    static let benchmark = Benchmark(
        name: "email",
        summary: "identify: sender variants matched to the right client (goal ≥ 99 %, zero false matches)"
    ) { _ in
        let variants = SenderVariants()
        let matcher = ClientMatcher(directory: variants.directory)
        let messages = try variants.all.map { ($0, try EmailParser().parse($0.raw)) }
        var shouldMatch = 0
        var matched = 0
        var falseMatches = 0
        var missed: [String: Int] = [:]
        let t0 = now()
        for (variant, message) in messages {
            let got = try matcher.match(message).clientID
            if let expected = variant.expectedClientID {
                shouldMatch += 1
                if got == expected { matched += 1 } else if got != nil { falseMatches += 1 } else { missed[variant.kind, default: 0] += 1 }
            } else if got != nil {
                falseMatches += 1
            }
        }
        let seconds = now() - t0
        for (kind, count) in missed.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("missed \(kind): \(count)\n".utf8))
        }
        return [
            BenchResult(
                benchmark: "email identify", metric: "matched", value: Double(matched) / Double(shouldMatch) * 100,
                unit: "%", n: shouldMatch),
            BenchResult(
                benchmark: "email identify", metric: "false matches", value: Double(falseMatches), unit: "messages",
                n: messages.count - shouldMatch),
            BenchResult(
                benchmark: "email identify", metric: "speed", value: Double(messages.count) / seconds,
                unit: "messages/s", n: messages.count),
        ]
    }
}
