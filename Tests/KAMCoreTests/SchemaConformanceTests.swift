import Foundation
import Testing

@testable import KAMCore

/// The JSON Schema Test Suite (draft 2020-12, required tests) from `../shared/conformance`.
@Suite("SchemaConformance")
struct SchemaConformanceTests {
    /// Every required test (python-jsonschema passes 1,293 of the same files).
    static let requiredPasses = 1_299

    static var suiteRoot: URL {
        // Tests/KAMCoreTests/<this file> → repository → ../shared
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("shared/conformance/json-schema")
    }

    /// The remotes folder, registered under `http://localhost:1234/`, as the suite expects.
    static func remoteRegistry() throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        let remotes = suiteRoot.appendingPathComponent("remotes")
        let enumerator = FileManager.default.enumerator(atPath: remotes.path)
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".json") else { continue }
            let text = try String(contentsOf: remotes.appendingPathComponent(relative), encoding: .utf8)
            registry.add(try JSONParser.parse(text), uri: "http://localhost:1234/" + relative)
        }
        return registry
    }

    /// Runs every test group of `files` (paths relative to draft2020-12); returns passes, total and failure lines.
    static func run(_ files: [String]) throws -> (passed: Int, total: Int, failures: [String]) {
        let folder = suiteRoot.appendingPathComponent("draft2020-12")
        let registry = try remoteRegistry()
        var passed = 0
        var total = 0
        var failures: [String] = []
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for group in try JSONParser.parse(text).arrayValue ?? [] {
                let groupName = group["description"]?.stringValue ?? "?"
                let tests = group["tests"]?.arrayValue ?? []
                let schema: JSONSchema
                do {
                    schema = try JSONSchema(group["schema"] ?? .bool(true), registry: registry)
                } catch {
                    total += tests.count
                    failures.append("\(file) | \(groupName) | schema did not compile: \(error)")
                    continue
                }
                for test in tests {
                    total += 1
                    let expected = test["valid"]?.boolValue ?? false
                    let data = test["data"] ?? .null
                    let issues = schema.validate(data)
                    let quick = schema.isValid(data)
                    // The fast path (schemas it can check) may leave an instance to the general path, never accept an invalid one.
                    let fast = schema.shape?.decode(JSONValue.self, from: data.compactJSONText, decoder: JSONValueDecoder(), maxDepth: 512)
                    let fastAgrees = fast.map { expected && $0.jsonEquals(data) } ?? true
                    if issues.isEmpty == expected && quick == expected && fastAgrees {
                        passed += 1
                    } else {
                        let name = test["description"]?.stringValue ?? "?"
                        failures.append(
                            "\(file) | \(groupName) | \(name): expected \(expected ? "valid" : "invalid"), "
                                + "validate() gave \(issues.isEmpty ? "valid" : "invalid \(issues.prefix(2))"), isValid() gave \(quick), "
                                + "the fast path gave \(fast.map { $0.compactJSONText } ?? "no verdict")")
                    }
                }
            }
        }
        return (passed, total, failures)
    }

    @Test("draft 2020-12 required tests pass (all 1,299; python-jsonschema passes 1,293)")
    func draft202012() throws {
        let folder = Self.suiteRoot.appendingPathComponent("draft2020-12")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 40, "expected the suite's 46 files in \(folder.path)")
        let (passed, total, failures) = try Self.run(files)
        print("JSON Schema draft 2020-12: \(passed)/\(total) passed")
        for failure in failures { print("  failed: \(failure)") }
        #expect(total >= 1_299, "the suite should have 1,299 required tests, found \(total)")
        #expect(passed >= Self.requiredPasses, "\(passed)/\(total) passed; \(failures.count) failed")
    }

    @Test("optional ECMA-262 regex tests pass (ecmascript-regex, non-bmp-regex: 86 cases)")
    func ecmascriptRegex() throws {
        let (passed, total, failures) = try Self.run(["optional/ecmascript-regex.json", "optional/non-bmp-regex.json"])
        print("JSON Schema draft 2020-12 optional regex: \(passed)/\(total) passed")
        for failure in failures { print("  failed: \(failure)") }
        #expect(total == 86, "the optional regex files should hold 74 + 12 tests, found \(total)")
        #expect(failures.isEmpty, "\(passed)/\(total) passed; \(failures.count) failed")
    }

    @Test("the embedded meta-schema validates schemas and rejects a malformed one")
    func metaSchema() throws {
        let meta = try JSONSchema(["$ref": "https://json-schema.org/draft/2020-12/schema"])
        #expect(meta.validate(["type": "string", "maxLength": 3]).isEmpty)
        let issues = meta.validate(["type": "strin", "minLength": -1])
        #expect(!issues.isEmpty)
        #expect(issues.contains { $0.instanceLocation == "/minLength" })
    }
}
