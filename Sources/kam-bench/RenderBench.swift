import Foundation
import KAMCore
import KAMResources
import KAMStore

/// `kam-bench render [RENDERS] [VARIABLES.json]`: renders per second of `draft.follow-up-email` with a full demo context.
///
/// The context variables are those the context assembler gives for the demo's `acme` account (every
/// activity of the last year, all contacts, memory, deals, tasks and orders), plus a hint. The
/// template is loaded and compiled once, as the registry does; each render checks the inputs,
/// fences untrusted ones and renders both messages. Target: ≥ 90,000 renders/s (twice Jinja2's
/// ~44,000/s for a comparable precompiled template on this machine). With a second argument the
/// variables are also written to that file, so a Jinja2 script can time the same template on the
/// same data.
enum RenderBench {
    static let benchmark = Benchmark(
        name: "render",
        summary: "Renders/s of draft.follow-up-email with a full demo client context (target ≥ 90,000/s)"
    ) { arguments in
        let renders = arguments.first.flatMap(Int.init) ?? 300_000
        let asOf = Date(timeIntervalSince1970: 1_790_000_000)
        let store = try ClientStore.inMemory(now: { asOf })
        try DemoSeeder.seedDemo(into: store, now: asOf)
        let assembler = ContextAssembler(
            tokenCounter: try Tokenizer(encoding: .o200kBase), options: ContextAssemblyOptions(activityDays: 365))
        let context = try assembler.assemble(clientID: "acme", from: store, now: asOf).get()
        var variables = context.variables
        variables["hint"] = "mention the inspection and propose a date for the next review"
        if let path = arguments.dropFirst().first {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(JSONValue.object(variables)).write(to: URL(fileURLWithPath: path))
        }

        let registry = PromptRegistry(directory: PromptRegistry.resolveDirectory())
        var results: [BenchResult] = []
        for reference in ["draft.follow-up-email@1", "draft.follow-up-email@2"] {
            let template = try registry.load(try PromptReference(parsing: reference))
            let sample = try template.render(variables)
            let outputBytes = sample.messages.reduce(0) { $0 + $1.content.utf8.count }
            // Warm up, then time batches of 1,000 renders.
            for _ in 0..<2_000 { _ = try template.render(variables) }
            let batch = 1_000
            var perRender: [Double] = []
            perRender.reserveCapacity(renders / batch)
            var checksum = 0
            let start = now()
            for _ in 0..<(renders / batch) {
                let batchStart = now()
                for _ in 0..<batch { checksum &+= try template.render(variables).messages[1].content.utf8.count }
                perRender.append((now() - batchStart) / Double(batch) * 1e6)
            }
            let elapsed = now() - start
            let count = (renders / batch) * batch
            precondition(checksum == count * sample.messages[1].content.utf8.count, "renders differ")
            let sorted = perRender.sorted()
            let name = "render"
            results.append(
                BenchResult(
                    benchmark: name, metric: "\(reference) renders_per_second", value: Double(count) / elapsed,
                    unit: "renders/s", p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: count))
            results.append(
                BenchResult(
                    benchmark: name, metric: "\(reference) output_bytes", value: Double(outputBytes), unit: "bytes"))
        }
        results.append(
            BenchResult(benchmark: "render", metric: "context_variables", value: Double(variables.count), unit: "variables"))
        return results
    }
}
