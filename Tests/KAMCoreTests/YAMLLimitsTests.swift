import Foundation
import KAMTesting
import Testing

@testable import KAMCore

/// Issue 10, item 2: every YAML file KAM reads goes through `YAMLReader.compose`, which refuses alias
/// bombs, deep nesting, huge values and too many anchors or aliases with the file:line and the limit.
@Suite("YAML limits")
struct YAMLLimitsTests {
    /// A place KAM reads YAML: its file name, and the error text it gives for `text` (nil when it read it).
    struct EntryPoint: Sendable, CustomStringConvertible {
        var name: String
        var file: String
        /// Lines of the YAML text sit this many lines lower in the file (prompt front matter follows `---`).
        var lineOffset = 0
        var read: @Sendable (String) -> String?

        var description: String { name }
    }

    static let entryPoints: [EntryPoint] = [
        EntryPoint(name: "kam.yaml", file: "kam.yaml") { text in
            do {
                _ = try KAMConfiguration.parse(text, file: "kam.yaml")
                return nil
            } catch { return "\(error)" }
        },
        EntryPoint(name: "price overrides", file: "prices.yaml") { text in
            do {
                _ = try PriceTable().merging(overrides: text, file: "prices.yaml")
                return nil
            } catch { return "\(error)" }
        },
        EntryPoint(name: "eval suite", file: "suite.yaml") { text in
            do {
                _ = try EvalSuiteLoader.parse(text, file: "suite.yaml")
                return nil
            } catch { return "\(error)" }
        },
        EntryPoint(name: "prompt front matter", file: "1.prompty", lineOffset: 1) { text in
            var parser = PromptFileParser(file: "1.prompty", promptID: "test.prompt", version: "1") { _ in nil }
            let (template, diagnostics) = parser.parse(Data(("---\n" + text + "---\nuser:\nHello.\n").utf8))
            let errors = diagnostics.filter { $0.severity == .error }
            return template == nil ? errors.map(\.description).joined(separator: "\n") : nil
        },
        EntryPoint(name: "labels.yaml", file: "labels.yaml") { text in
            do {
                _ = try PromptLabels(yaml: text, file: "labels.yaml")
                return nil
            } catch let error as PromptError {
                return "\(error)\n" + error.diagnostics.map(\.description).joined(separator: "\n")
            } catch { return "\(error)" }
        },
        EntryPoint(name: "retention section of kam.yaml", file: "kam.yaml") { text in
            do {
                _ = try RetentionSettings.parse(yaml: text, file: "kam.yaml")
                return nil
            } catch { return "\(error)" }
        },
    ]

    /// The line number written right after `file:` in `text`.
    static func line(after file: String, in text: String) -> Int? {
        guard let range = text.range(of: file + ":") else { return nil }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }

    @Test("every entry point refuses every hostile document, naming the limit and the line", arguments: entryPoints)
    func everyEntryPointRefusesEveryCase(entry: EntryPoint) {
        let cases = HostileYAML.cases()
        #expect(cases.count > 50)
        for hostile in cases {
            guard let error = entry.read(hostile.text) else {
                Issue.record("\(entry): \(hostile) was read")
                continue
            }
            #expect(error.contains("(YAML limit \(hostile.limit.rawValue))"), "\(entry): \(hostile): \(error.prefix(400))")
            #expect(error.contains("refused: "), "\(entry): \(hostile): \(error.prefix(400))")
            if let lines = hostile.lines {
                let line = Self.line(after: entry.file, in: error)
                let expected = (lines.lowerBound + entry.lineOffset)...(lines.upperBound + entry.lineOffset)
                #expect(line.map(expected.contains) == true, "\(entry): \(hostile): line \(line.map(String.init) ?? "none") not in \(expected): \(error.prefix(300))")
            }
            // An error about a file never prints the file's content.
            #expect(error.utf8.count < 2_000, "\(entry): \(hostile): the error is \(error.utf8.count) bytes")
        }
    }

    @Test("the limit found is the one the document was built to pass, with its exact line where it has one")
    func exactLimitAndLine() throws {
        for hostile in HostileYAML.cases() {
            do {
                _ = try YAMLReader.compose(hostile.text, file: "case.yaml")
                Issue.record("\(hostile) was read")
            } catch {
                #expect(error.code == .yamlLimit, "\(hostile): \(error)")
                let exceeded = try #require(error.underlying as? YAMLLimits.Exceeded, "\(hostile)")
                #expect(exceeded.limit == hostile.limit, "\(hostile): \(exceeded)")
                #expect(exceeded.maximum == YAMLLimits.default.maximum(hostile.limit))
                #expect(error.issues.count == 1)
                #expect(error.issues.first?.line == exceeded.line)
                if let lines = hostile.lines {
                    #expect(exceeded.line.map(lines.contains) == true, "\(hostile): \(exceeded.line.map(String.init) ?? "no line")")
                    #expect(exceeded.column != nil)
                    if lines.count == 1 { #expect(exceeded.line == lines.lowerBound, "\(hostile)") }
                } else {
                    #expect(exceeded.line == nil)
                }
            }
        }
    }

    /// Counts what `value` (from `YAMLReader.load`) holds: values, scalar bytes and nesting.
    static func measure(_ value: Any) -> (nodes: Int, bytes: Int, height: Int) {
        if let mapping = value as? [AnyHashable: Any] {
            var total = (nodes: 1, bytes: 0, height: 1)
            for (key, item) in mapping {
                for part in [measure(key.base), measure(item)] {
                    total.nodes += part.nodes
                    total.bytes += part.bytes
                    total.height = max(total.height, part.height + 1)
                }
            }
            return total
        }
        if let list = value as? [Any] {
            var total = (nodes: 1, bytes: 0, height: 1)
            for item in list {
                let part = measure(item)
                total.nodes += part.nodes
                total.bytes += part.bytes
                total.height = max(total.height, part.height + 1)
            }
            return total
        }
        return (1, "\(value)".utf8.count, 0)
    }

    /// A random document of anchors and aliases in lists and mappings, small enough to expand.
    static func randomDocument(_ random: inout SplitMix64) -> String {
        var lines: [String] = []
        var anchors: [String] = []
        func value(_ depth: Int) -> String {
            let roll = Int.random(in: 0..<6, using: &random)
            if !anchors.isEmpty, roll == 0 || roll == 1 { return "*" + anchors[Int.random(in: 0..<anchors.count, using: &random)] }
            if depth < 3, roll == 2 {
                return "[" + (0..<(1 + Int.random(in: 0..<3, using: &random))).map { _ in value(depth + 1) }.joined(separator: ", ") + "]"
            }
            if depth < 3, roll == 3 {
                return "{" + (0..<(1 + Int.random(in: 0..<3, using: &random))).map { "k\($0): " + value(depth + 1) }.joined(separator: ", ") + "}"
            }
            return "w" + String(repeating: "z", count: Int.random(in: 0..<5, using: &random))
        }
        for index in 0..<(2 + Int.random(in: 0..<8, using: &random)) {
            let anchor = "n\(index)"
            // An anchor cannot mark an alias: a top-level alias goes in a list.
            let top = value(0)
            lines.append("e\(index): &\(anchor) " + (top.hasPrefix("*") ? "[\(top)]" : top))
            anchors.append(anchor)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("what aliases expand to is counted exactly: a limit at the count passes, one less refuses")
    func expansionIsCountedExactly() throws {
        var random = SplitMix64(seed: 10)
        var checked = 0
        for _ in 0..<300 {
            let text = Self.randomDocument(&random)
            let loaded = try #require(try YAMLReader.load(text, file: "random.yaml"), "\(text)")
            let size = Self.measure(loaded)
            let exact = YAMLLimits(maxDepth: size.height, maxNodes: size.nodes, maxExpandedBytes: size.bytes)
            #expect(YAMLReader.check(text, limits: exact) == nil, "\(text)")
            var fewerNodes = exact
            fewerNodes.maxNodes -= 1
            #expect(YAMLReader.check(text, limits: fewerNodes)?.limit == .nodes, "\(size) \(text)")
            var shallower = exact
            shallower.maxDepth -= 1
            #expect(YAMLReader.check(text, limits: shallower)?.limit == .depth, "\(size) \(text)")
            if size.bytes > 0 {
                var fewerBytes = exact
                fewerBytes.maxExpandedBytes -= 1
                #expect(YAMLReader.check(text, limits: fewerBytes)?.limit == .expandedBytes, "\(size) \(text)")
            }
            checked += 1
        }
        #expect(checked == 300)
    }

    @Test("a few anchors and aliases, as people write them, still read the same as the values written out")
    func ordinaryAliasesStillWork() throws {
        let shared = """
            defaults: &defaults {temperature: 0.2, retries: 3}
            fast: *defaults
            slow: {<<: *defaults, retries: 9}
            list: [&one a, *one, *one]
            """
        let written = """
            defaults: {temperature: 0.2, retries: 3}
            fast: {temperature: 0.2, retries: 3}
            slow: {temperature: 0.2, retries: 9}
            list: [a, a, a]
            """
        let lhs = try #require(try YAMLReader.load(shared, file: "a.yaml") as? [AnyHashable: Any])
        let rhs = try #require(try YAMLReader.load(written, file: "b.yaml") as? [AnyHashable: Any])
        #expect(NSDictionary(dictionary: lhs).isEqual(to: rhs))
    }

    @Test("a syntax error is still reported as one, with its line")
    func syntaxErrorsStaySyntaxErrors() {
        for text in ["a: [1, 2\nb: 3\n", "a: *missing\n", "a: b: c\n", "a:\n\t- x\n"] {
            do {
                _ = try YAMLReader.compose(text, file: "broken.yaml")
                Issue.record("\(text) was read")
            } catch {
                #expect(error.code == .syntax, "\(text): \(error)")
                #expect(error.issues.first?.line != nil, "\(text): \(error)")
            }
        }
    }

    @Test("the shipped prompts and eval suites read within the limits")
    func shippedFilesFit() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var read = 0
        for folder in ["Prompts", "Evaluations"] {
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard ["yaml", "yml", "prompty"].contains(url.pathExtension) else { continue }
                var text = try String(contentsOf: url, encoding: .utf8)
                if url.pathExtension == "prompty" {
                    let lines = text.components(separatedBy: "\n")
                    let closing = try #require(lines.dropFirst().firstIndex(of: "---"), "\(url.path)")
                    text = lines[1..<closing].joined(separator: "\n")
                }
                #expect(YAMLReader.check(text, limits: .default) == nil, "\(url.path)")
                read += 1
            }
        }
        #expect(read >= 5)
    }

    @Test("no file in Sources but YAMLReader.swift calls into Yams or libyaml to read YAML")
    func oneReader() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let forbidden = [
            "Yams.", "compose(yaml:", "load(yaml:", "load_all(yaml:", "compose_all(yaml:", "Parser(yaml:",
            "YAMLDecoder", "import CYaml", "yaml_parser_",
        ]
        var scanned = 0
        var offenders: [String] = []
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            scanned += 1
            if url.path.hasSuffix("Sources/KAMCore/Config/YAMLReader.swift") { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for pattern in forbidden where text.contains(pattern) {
                offenders.append("\(url.path.replacingOccurrences(of: sources.path + "/", with: "")): \(pattern)")
            }
        }
        #expect(scanned > 100)
        #expect(offenders.isEmpty, "read YAML with YAMLReader.compose / YAMLReader.load instead: \(offenders)")
    }
}
