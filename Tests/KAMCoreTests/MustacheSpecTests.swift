import Foundation
import Testing

@testable import KAMCore

/// Runs the Mustache specification's JSON suites from `../shared/conformance/mustache` against `MustacheTemplate`.
@Suite("Mustache specification")
struct MustacheSpecTests {
    struct SpecFile: Decodable { var tests: [SpecCase] }
    struct SpecCase: Decodable {
        var name: String
        var data: JSONValue
        var template: String
        var expected: String
        var partials: [String: String]?
    }

    static let specDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/conformance/mustache")

    /// Runs one spec file and returns (passed, total, failure descriptions).
    static func run(_ file: String) throws -> (passed: Int, total: Int, failures: [String]) {
        let url = specDirectory.appendingPathComponent("\(file).json")
        let spec = try JSONDecoder().decode(SpecFile.self, from: Data(contentsOf: url))
        var passed = 0
        var failures: [String] = []
        for testCase in spec.tests {
            do {
                let template = try MustacheTemplate(testCase.template)
                let output = template.render(
                    testCase.data, escaping: .html, partials: MustachePartials(testCase.partials ?? [:]))
                if output == testCase.expected {
                    passed += 1
                } else {
                    failures.append("\(file) / \(testCase.name): got \(output.debugDescription), expected \(testCase.expected.debugDescription)")
                }
            } catch {
                failures.append("\(file) / \(testCase.name): \(error)")
            }
        }
        return (passed, spec.tests.count, failures)
    }

    @Test("core spec: all 136 cases pass")
    func coreSpec() throws {
        var passed = 0
        var total = 0
        for file in ["comments", "delimiters", "interpolation", "inverted", "partials", "sections"] {
            let result = try Self.run(file)
            passed += result.passed
            total += result.total
            for failure in result.failures { Issue.record(Comment(rawValue: failure)) }
        }
        print("Mustache core spec: \(passed)/\(total) passed")
        #expect(total == 136)
        #expect(passed == total)
    }

    @Test("optional spec: dynamic names and inheritance are counted")
    func optionalSpec() throws {
        let dynamic = try Self.run("dynamic-names")
        let inheritance = try Self.run("inheritance")
        print("Mustache optional spec: dynamic-names \(dynamic.passed)/\(dynamic.total), inheritance \(inheritance.passed)/\(inheritance.total)")
        #expect(dynamic.passed == dynamic.total)
        #expect(inheritance.passed >= 20)
    }
}
