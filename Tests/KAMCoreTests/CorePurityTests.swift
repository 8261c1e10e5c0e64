import Foundation
import Testing

/// KAMCore does no I/O: no files, no bundle, no environment, no clock. Loading lives in KAMResources and
/// KAMStore, the clock is an injected `now`. This reads every source file of the core and fails on any line
/// that touches them, naming file:line.
@Suite struct CorePurityTests {
    /// What the core may not mention, each with why. Collection methods (`append(contentsOf:)`,
    /// `Array(contentsOf:)`) and fixed dates (`Date(timeIntervalSince1970:)`) stay allowed.
    static let forbidden: [(pattern: String, why: String)] = [
        (#"\bFileManager\b"#, "file system"),
        (#"contentsOfFile"#, "reads a file"),
        (#"\b(String|Data|NSString|NSData)\s*\(\s*contentsOf\b"#, "reads a file or URL"),
        (#"contentsOf:\s*URL\b"#, "reads a URL"),
        (#"\bBundle\s*\.\s*(module|main)\b"#, "bundle resources (KAMResources loads them)"),
        (#"\bProcessInfo\b"#, "environment (the rings pass an environment dictionary)"),
        (#"\bFileHandle\b"#, "file handles"),
        (#"\bDate\s*\(\s*\)"#, "reads the clock (inject `now`)"),
        (#"\bDate\s*\.\s*now\b"#, "reads the clock (inject `now`)"),
        (#"timeIntervalSinceNow"#, "reads the clock (inject `now`)"),
        (#"\.write\s*\(\s*to:(?!\s*&)"#, "writes a file"),
        (#"\b(getenv|fopen|opendir)\s*\("#, "C file or environment access"),
        (#"\bURLSession\b"#, "network"),
    ]

    static let expressions: [(NSRegularExpression, String)] = forbidden.map {
        (try! NSRegularExpression(pattern: $0.pattern), $0.why)
    }

    /// The forbidden uses in `text`, as `line: why: text`.
    static func violations(in text: String) -> [String] {
        var found: [String] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(line)
            let range = NSRange(line.startIndex..., in: line)
            for (expression, why) in expressions where expression.firstMatch(in: line, range: range) != nil {
                found.append("\(offset + 1): \(why): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        return found
    }

    static let coreFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/KAMCore")

    @Test func noSourceFileOfTheCoreDoesIO() throws {
        let enumerator = try #require(FileManager.default.enumerator(at: Self.coreFolder, includingPropertiesForKeys: nil))
        var files = 0
        var violations: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            files += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            let name = url.path.replacingOccurrences(of: Self.coreFolder.deletingLastPathComponent().path + "/", with: "")
            violations += Self.violations(in: text).map { "\(name):\($0)" }
        }
        #expect(files > 100, "expected the core's sources under \(Self.coreFolder.path)")
        #expect(
            violations.isEmpty,
            "KAMCore must do no I/O; move loading to KAMResources or KAMStore and inject `now`:\n\(violations.joined(separator: "\n"))")
    }

    @Test func theCheckCatchesEachKindOfIOAndAllowsCollectionMethods() {
        let bad = [
            "let m = FileManager.default", "let t = try String(contentsOfFile: p, encoding: .utf8)",
            "let d = try Data(contentsOf: url)", "let s = try String(contentsOf: url, encoding: .utf8)",
            "let u = Bundle.module.url(forResource: n, withExtension: nil)", "let e = ProcessInfo.processInfo.environment",
            "let h = FileHandle.standardError", "let now = Date()", "let now = Date.now", "try data.write(to: url)",
            "let v = getenv(\"HOME\")",
        ]
        for line in bad {
            #expect(Self.violations(in: line).count == 1, "not caught: \(line)")
        }
        let fine = [
            "words.append(contentsOf: other)", "let d = Date(timeIntervalSince1970: 0)", "v.write(to: &out)",
            "var a = Array(repeating: 0, count: 3); a.append(contentsOf: [1])", "let now: @Sendable () -> Date",
        ]
        for line in fine {
            #expect(Self.violations(in: line).isEmpty, "wrongly flagged: \(line)")
        }
    }
}
