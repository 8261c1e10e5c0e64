import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let json = arguments.contains("--json")
let rest = arguments.filter { $0 != "--json" }

guard let name = rest.first, name != "list" else {
    for benchmark in allBenchmarks { print("\(benchmark.name)\t\(benchmark.summary)") }
    exit(0)
}
guard let benchmark = allBenchmarks.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("kam-bench: no benchmark named '\(name)'; `kam-bench list` names them\n".utf8))
    exit(2)
}
do {
    let results = try await benchmark.run(Array(rest.dropFirst()))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for result in results {
        if json {
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            var line = "\(result.benchmark) \(result.metric): \(String(format: "%.3f", result.value)) \(result.unit)"
            if let p50 = result.p50 { line += "  p50 \(String(format: "%.4f", p50))" }
            if let p99 = result.p99 { line += "  p99 \(String(format: "%.4f", p99))" }
            if let n = result.n { line += "  n=\(n)" }
            print(line)
        }
    }
} catch {
    FileHandle.standardError.write(Data("kam-bench \(name): \(error)\n".utf8))
    exit(1)
}
