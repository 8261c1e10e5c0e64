import Foundation
import Testing

@testable import KAMCore
import KAMResources

/// `kam eval check` refuses days that do not exist or are not written YYYY-MM-DD, dataset and
/// fixtures files that do not exist, and cases naming a client the fixtures do not hold — each with
/// file:line and the field.
@Suite struct EvalSuiteDateAndPathTests {
    /// Days that are not a real `YYYY-MM-DD` day, many generated: impossible days of every month,
    /// month 0 and 13, single-digit parts, and other shapes.
    static let badDays: [String] = {
        var days: [String] = []
        let lengths = [1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31]
        for (month, length) in lengths {
            for day in (length + 1)...32 { days.append(String(format: "2026-%02d-%02d", month, day)) }
            days.append(String(format: "2026-%02d-00", month))
            days.append("2026-\(month)-5")
            days.append(String(format: "2026-%02d-5", month))
        }
        days += ["2026-13-01", "2026-00-10", "2026-99-01", "2025-02-29", "1900-02-29", "2100-02-29", "2026-1-05"]
        days += ["26-01-05", "02026-01-05", "2026/01/05", "2026-01-05x", "2026-01", "2026", "tomorrow", "2026-0a-05"]
        days += ["2026-01-05-01", "-2026-01-05", " 2026-01-05", "2026-01-05 ", "２０２６-01-05"]
        return days
    }()

    static let goodDays = ["2026-01-01", "2026-02-28", "2024-02-29", "2000-02-29", "2026-04-30", "2026-12-31", "1999-07-15"]

    func suite(now: String) -> String {
        """
        prompt: draft.follow-up-email
        variants:
          - version: 1
        dataset: d.jsonl
        now: "\(now)"
        """
    }

    func issues(_ yaml: String, file: String = "bad.yaml", fileExists: ((URL) -> Bool)? = nil) -> [ConfigurationIssue] {
        do {
            _ = try EvalSuiteLoader.parse(yaml, file: file, fileExists: fileExists)
            return []
        } catch {
            return error.issues
        }
    }

    @Test("a suite's `now` that is not a real YYYY-MM-DD day is refused with file:line and the field")
    func badNow() {
        #expect(Self.badDays.count > 60)
        for day in Self.badDays {
            let found = issues(suite(now: day))
            let issue = found.first { $0.field == "now" }
            #expect(issue?.line == 5, "\(day.debugDescription): \(found)")
            #expect(issue?.description.hasPrefix("bad.yaml:5:") == true, "\(day.debugDescription): \(found)")
            #expect(issue?.description.contains(": now: ") == true, "\(found)")
            #expect(issue?.message.contains("is not a day") == true, "\(found)")
        }
    }

    @Test("the refusal says why: the month's length, or the month, or the form")
    func reasons() {
        #expect(EvalSuiteLoader.dayProblem("2026-02-30") == "February 2026 has 28 days")
        #expect(EvalSuiteLoader.dayProblem("2024-02-30") == "February 2024 has 29 days")
        #expect(EvalSuiteLoader.dayProblem("2026-04-31") == "April 2026 has 30 days")
        #expect(EvalSuiteLoader.dayProblem("2026-13-01")?.contains("no month 13") == true)
        #expect(EvalSuiteLoader.dayProblem("2026-1-5")?.contains("YYYY-MM-DD") == true)
    }

    @Test("real days are accepted and read as midnight UTC")
    func goodNow() throws {
        for day in Self.goodDays {
            let suite = try EvalSuiteLoader.parse(suite(now: day), file: "good.yaml")
            let now = try #require(suite.now, "\(day)")
            #expect(ISO8601DateFormatter().string(from: now) == "\(day)T00:00:00Z")
        }
    }

    @Test("dataset values shaped like a day must be real days, in vars and expect, at any depth")
    func datasetDays() {
        for (index, day) in Self.badDays.enumerated() where EvalSuiteLoader.datePart(of: day) != nil {
            for (json, field) in [
                (#"{"id":"a","vars":{"received_at":"\#(day)"}}"#, "vars.received_at"),
                (#"{"id":"a","vars":{"x":"y","meta":{"dates":["2026-01-05","\#(day)T10:00:00Z"]}}}"#, "vars.meta.dates[1]"),
                (#"{"id":"a","vars":{"x":"y"},"expect":{"due":"\#(day) 09:15"}}"#, "expect.due"),
            ] {
                let text = #"{"id":"ok","vars":{"d":"2026-01-05"}}"# + "\n" + json.replacingOccurrences(of: #""id":"a""#, with: #""id":"c\#(index)""#)
                do {
                    _ = try EvalSuiteLoader.parseCases(text, file: "d.jsonl")
                    Issue.record("\(json) was accepted")
                } catch {
                    let issue = error.issues.first { $0.field == field }
                    #expect(issue?.line == 2, "\(json): \(error.issues)")
                    #expect(issue?.description.hasPrefix("d.jsonl:2: \(field): ") == true, "\(error.issues)")
                }
            }
        }
    }

    @Test("text that only starts with a date, and real dates and date-times, are accepted in datasets")
    func datasetTextIsText() throws {
        let values = [
            "2026-1-5 was when we met", "Order 2026-13-01-A", "2026-02-28", "2026-02-28T23:59:59Z", "2024-02-29 10:00",
            "call on 2026-02-30?", "12-25", "2026-02", "v2026-1-5",
        ]
        for value in values {
            let cases = try EvalSuiteLoader.parseCases(#"{"id":"a","vars":{"note":"\#(value)"}}"#, file: "d.jsonl")
            #expect(cases.count == 1, "\(value)")
        }
    }

    @Test("dataset and fixtures files that do not exist are refused at the line naming them")
    func missingFiles() {
        let yaml = """
            prompt: draft.follow-up-email
            variants:
              - version: 1
            dataset: cases/missing-\(UUID().uuidString).jsonl
            fixtures: fixtures/missing.json
            """
        for (exists, expected) in [
            (Set<String>(), ["dataset": 4, "fixtures": 5]),
            (Set(["/suites/fixtures/missing.json"]), ["dataset": 4]),
            (Set(["/suites/cases"]), ["dataset": 4, "fixtures": 5]),
        ] {
            let found = issues(yaml, file: "/suites/s.yaml", fileExists: { exists.contains($0.path) })
            var lines: [String: Int] = [:]
            for issue in found where issue.message.contains("does not exist") { lines[issue.field] = issue.line }
            #expect(lines == expected, "\(found)")
            #expect(found.allSatisfy { $0.file == "/suites/s.yaml" })
        }
        // Absolute paths are taken as they are; an existing pair passes.
        let present = issues(
            yaml.replacingOccurrences(of: "fixtures/missing.json", with: "/abs/f.json"),
            file: "/suites/s.yaml", fileExists: { $0.path == "/abs/f.json" || $0.path.hasPrefix("/suites/cases/") })
        #expect(present.isEmpty, "\(present)")
        // Without a file check (parsing text alone), paths are not looked at.
        #expect(issues(yaml).isEmpty)
    }

    @Test("load checks the files next to a real suite")
    func loadChecksFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kam-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let suite = folder.appendingPathComponent("s.yaml")
        try Data("prompt: p\nvariants:\n  - version: 1\ndataset: d.jsonl\n".utf8).write(to: suite)
        #expect(throws: EvalSuiteError.self) { try EvalSuiteLoader.load(path: suite.path) }
        try Data("{}".utf8).write(to: folder.appendingPathComponent("d.jsonl"))
        #expect(try EvalSuiteLoader.load(path: suite.path).dataset == "d.jsonl")
    }

    @Test("a case naming a client the fixtures do not hold is refused at its line")
    func fixtureClients() throws {
        var lines: [String] = []
        var missing: [Int] = []
        for index in 0..<40 {
            let client = index % 3 == 0 ? "ghost-\(index)" : ["northwind", "bluepeak"][index % 2]
            if index % 3 == 0 { missing.append(index + 1) }
            lines.append(#"{"id":"c\#(index)","client":"\#(client)"}"#)
        }
        let cases = try EvalSuiteLoader.parseCases(lines.joined(separator: "\n"), file: "d.jsonl")
        let found = EvalSuiteLoader.checkClients(cases, known: ["northwind", "bluepeak"], fixtures: "fixtures/f.json")
        #expect(found.map(\.line) == missing)
        #expect(found.allSatisfy { $0.file == "d.jsonl" && $0.field == "client" })
        #expect(found.first?.description.hasPrefix("d.jsonl:1: client: case 'c0' names client 'ghost-0'") == true, "\(found)")
        #expect(found.first?.message.contains("bluepeak, northwind") == true)
    }
}
