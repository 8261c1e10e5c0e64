import Foundation
import Testing

/// What `kam prompts check` and `kam eval check` refuse, with file:line(:column), and that no command
/// prints a file's content when it reports an error about that file: for every kind of file `kam`
/// reads, a marker secret sits next to an error and must appear nowhere in what the command printed.
@Suite("File error reporting end to end")
struct FileErrorReportingEndToEndTests {
    static let marker = "SECRETMARKER"

    /// Secrets of two shapes: a key (never quoted, even as the token at fault) and a plain word.
    static let secrets = ["sk-live-\(marker)-4f9a8b7c6d5e", "hunter2-\(marker)"]

    // MARK: - prompts check

    @Test("prompts check: unknown role markers, partials and misnamed version files, each with its position")
    func promptsCheck() async throws {
        let workspace = try Workspace()
        let prompts = workspace.directory.appendingPathComponent("Prompts")
        try FileManager.default.copyItem(at: KAMTool.promptsFolder, to: prompts)
        let folder = prompts.appendingPathComponent("draft.check-in")
        let valid = try String(contentsOf: folder.appendingPathComponent("1.prompty"), encoding: .utf8)
        let lines = valid.components(separatedBy: "\n")
        let userLine = try #require(lines.firstIndex(of: "user:"))
        // Version 2: `hacker:` right after the user marker, a partial on the line after it.
        var broken = lines
        broken.insert("hacker:", at: userLine + 1)
        broken.insert("See {{> signature}} below.", at: userLine + 2)
        try Data(broken.joined(separator: "\n").utf8).write(to: folder.appendingPathComponent("2.prompty"))
        for name in ["latest", "01", "1a"] {
            try Data(valid.utf8).write(to: folder.appendingPathComponent("\(name).prompty"))
        }
        let result = try await workspace.kamWithoutDatabase("prompts", "check", "--prompts", prompts.path)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stdout.contains("draft.check-in/2.prompty:\(userLine + 2):1: error: `hacker:` has the form of a role marker"), "\(result)")
        #expect(result.stdout.contains("draft.check-in/2.prompty:\(userLine + 3):5: error: `{{> signature}}` includes another template"), "\(result)")
        for name in ["latest", "01", "1a"] {
            #expect(result.stdout.contains("draft.check-in/\(name).prompty: error: `\(name).prompty` is not a version file name"), "\(result)")
        }
        #expect(result.stdout.contains("5 errors"), "\(result)")
    }

    // MARK: - eval check

    /// A copy of the shipped follow-up-email suite, its dataset and fixtures, in the workspace.
    func suiteCopy(_ workspace: Workspace) throws -> URL {
        let source = KAMTool.repositoryRoot.appendingPathComponent("Evaluations")
        let target = workspace.directory.appendingPathComponent("Evaluations")
        try FileManager.default.createDirectory(at: target.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        for name in ["follow-up-email.yaml", "follow-up-email.jsonl", "fixtures/follow-up-clients.json"] {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: target.appendingPathComponent(name))
        }
        return target
    }

    func edit(_ url: URL, _ change: (String) -> String) throws {
        try Data(change(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
    }

    @Test("eval check: the shipped suite passes; missing files, impossible days and unknown fixture clients are refused")
    func evalCheck() async throws {
        let workspace = try Workspace()
        let folder = try suiteCopy(workspace)
        let suite = folder.appendingPathComponent("follow-up-email.yaml")
        let passing = try await workspace.kamWithoutDatabase("eval", "check", suite.path)
        #expect(passing.exitCode == 0, "\(passing)")

        let text = try String(contentsOf: suite, encoding: .utf8)
        let suiteLines = text.components(separatedBy: "\n")
        let datasetLine = try #require(suiteLines.firstIndex { $0.hasPrefix("dataset:") }) + 1
        let fixturesLine = try #require(suiteLines.firstIndex { $0.hasPrefix("fixtures:") }) + 1
        let nowLine = try #require(suiteLines.firstIndex { $0.hasPrefix("now:") }) + 1
        let cases: [(change: (String) -> String, expected: String)] = [
            ({ $0.replacingOccurrences(of: "dataset: follow-up-email.jsonl", with: "dataset: nowhere.jsonl") },
             "follow-up-email.yaml:\(datasetLine):10: dataset: 'nowhere.jsonl' does not exist"),
            ({ $0.replacingOccurrences(of: "fixtures: fixtures/follow-up-clients.json", with: "fixtures: fixtures/gone.json") },
             "follow-up-email.yaml:\(fixturesLine):11: fixtures: 'fixtures/gone.json' does not exist"),
            ({ $0.replacingOccurrences(of: "now: 2026-01-15", with: "now: 2026-02-30") },
             "follow-up-email.yaml:\(nowLine):6: now: '2026-02-30' is not a day: February 2026 has 28 days"),
            ({ $0.replacingOccurrences(of: "now: 2026-01-15", with: "now: 2026-13-01") },
             "follow-up-email.yaml:\(nowLine):6: now: '2026-13-01' is not a day: there is no month 13"),
            ({ $0.replacingOccurrences(of: "now: 2026-01-15", with: "now: 2026-1-5") },
             "follow-up-email.yaml:\(nowLine):6: now: '2026-1-5' is not a day: write a day as YYYY-MM-DD"),
        ]
        for (change, expected) in cases {
            try Data(change(text).utf8).write(to: suite)
            let result = try await workspace.kamWithoutDatabase("eval", "check", suite.path)
            #expect(result.exitCode == 13, "\(result)")
            #expect(result.stderr.contains(expected), "expected \(expected)\n\(result)")
        }
        try Data(text.utf8).write(to: suite)

        // The dataset: a day that does not exist, and a client the fixtures do not hold.
        let dataset = folder.appendingPathComponent("follow-up-email.jsonl")
        try edit(dataset) { text in
            var lines = text.components(separatedBy: "\n")
            let client = #/"client": "[^"]*"/#
            lines[2] = lines[2].replacing(client, with: #""client": "ghost-co""#)
            lines.insert(
                #"{"id": "dated", "client": "northwind", "vars": {"hint": "x", "due": "2026-04-31"}, "expect": {"must_mention": ["x"]}}"#,
                at: 4)
            return lines.joined(separator: "\n")
        }
        let result = try await workspace.kamWithoutDatabase("eval", "check", suite.path)
        #expect(result.exitCode == 13, "\(result)")
        #expect(result.stderr.contains("follow-up-email.jsonl:5: vars.due: '2026-04-31' is not a day: April 2026 has 30 days"), "\(result)")
        try edit(dataset) { $0.replacingOccurrences(of: #""due": "2026-04-31""#, with: #""due": "2026-04-30""#) }
        let clients = try await workspace.kamWithoutDatabase("eval", "check", suite.path)
        #expect(clients.exitCode == 13, "\(clients)")
        #expect(clients.stderr.contains("follow-up-email.jsonl:3: client: case '"), "\(clients)")
        #expect(clients.stderr.contains("names client 'ghost-co', which the fixtures file fixtures/follow-up-clients.json does not hold"), "\(clients)")
    }

    // MARK: - secrets stay out of errors

    func expectQuiet(_ result: KAMTool.Result, _ secret: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.succeeded, "\(result)", sourceLocation: sourceLocation)
        let printed = (result.stdout + result.stderr).lowercased()
        #expect(!printed.contains(Self.marker.lowercased()), "\(result)", sourceLocation: sourceLocation)
        #expect(!printed.contains(secret.lowercased()), sourceLocation: sourceLocation)
    }

    @Test("kam.yaml and price override files: a secret next to a YAML error is never printed")
    func configFiles() async throws {
        let workspace = try Workspace()
        for secret in Self.secrets {
            for broken in [
                "providers:\n  openai:\n    kind: openai\n    api_key: \(secret)\u{1}\n",
                "providers:\n  openai:\n    api_key: \(secret)\n    kind: [openai\n",
                "providers:\n  openai:\n    api_key: \(secret)\n   kind: openai\n",
                "default_model: \(secret)\u{7}\n",
            ] {
                try workspace.write("kam.yaml", broken)
                expectQuiet(try await workspace.kamWithoutDatabase("config", "check", "--config", "kam.yaml"), secret)
            }
            try workspace.write("prices.yaml", "models:\n  m:\n    input: 1\n    note: \(secret)\u{1}\n")
            try workspace.write("kam.yaml", "prices:\n  overrides: [prices.yaml]\n")
            expectQuiet(try await workspace.kamWithoutDatabase("config", "check", "--config", "kam.yaml"), secret)
        }
    }

    @Test("prompt files and labels.yaml: a secret next to an error is never printed by prompts check")
    func promptFiles() async throws {
        for secret in Self.secrets {
            for (name, text) in [
                ("1.prompty", "---\nname: t\nmetadata:\n  key: \(secret)\u{1}\n---\nsystem:\nx\n"),
                ("1.prompty", "---\nname: t\nmetadata: {key: \(secret)\n---\nsystem:\nx\n"),
                ("1.prompty", "---\nname: t\n---\nsystem:\nKey \(secret) {{#open}}\n"),
                ("1.prompty", "---\nname: t\n---\nsystem:\n\(secret)\nhacker:\n"),
                ("labels.yaml", "production: \"1\"\nnote: \(secret)\u{1}\n"),
            ] {
                let workspace = try Workspace()
                let folder = workspace.directory.appendingPathComponent("Prompts/t")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                if name != "1.prompty" { try Data("---\nname: t\n---\nsystem:\nx\n".utf8).write(to: folder.appendingPathComponent("1.prompty")) }
                try Data(text.utf8).write(to: folder.appendingPathComponent(name))
                let result = try await workspace.kamWithoutDatabase(
                    "prompts", "check", "--prompts", workspace.directory.appendingPathComponent("Prompts").path)
                expectQuiet(result, secret)
            }
        }
    }

    @Test("eval suites and datasets: a secret next to an error is never printed by eval check")
    func evalFiles() async throws {
        let workspace = try Workspace()
        let folder = try suiteCopy(workspace)
        let suite = folder.appendingPathComponent("follow-up-email.yaml")
        let dataset = folder.appendingPathComponent("follow-up-email.jsonl")
        let suiteText = try String(contentsOf: suite, encoding: .utf8)
        let datasetText = try String(contentsOf: dataset, encoding: .utf8)
        for secret in Self.secrets {
            for broken in ["description: \(secret)\u{1}\n", "description: [\(secret)\n", "now: 2026-02-30  # \(secret)\n"] {
                try Data((broken + suiteText.replacingOccurrences(of: "now: 2026-01-15\n", with: "")).utf8).write(to: suite)
                expectQuiet(try await workspace.kamWithoutDatabase("eval", "check", suite.path), secret)
            }
            try Data(suiteText.utf8).write(to: suite)
            for broken in [
                #"{"id": "s", "client": "northwind", "vars": {"token": "\#(secret)", "hint": tru}}"#,
                #"{"id": "s", "client": "northwind", "vars": {"token": "\#(secret)", "due": "2026-02-30"}, "expect": {"must_mention": ["x"]}}"#,
                #"{"id": "s", "client": "northwind", "vars": {"token": "\#(secret)"}, "x": }"#,
            ] {
                try Data((datasetText + broken + "\n").utf8).write(to: dataset)
                expectQuiet(try await workspace.kamWithoutDatabase("eval", "check", suite.path), secret)
            }
            try Data(datasetText.utf8).write(to: dataset)
        }
    }

    @Test("imports: JSON, CSV and mapping files with a secret next to an error never print it")
    func importFiles() async throws {
        for secret in Self.secrets {
            let workspace = try Workspace()
            let header = "customer_id,assigned_to_email,customer_name,customer_email,customer_phone,last_contact_date,product_interest,status,follow_up_by,notes\n"
            let inputs: [(file: String, text: String, arguments: [String])] = [
                ("data.json", #"{"clients": [{"id": "acme", "name": "Acme", "notes": "\#(secret)", "tier": }]}"#, []),
                ("data.json", #"{"clients": [{"id": "acme", "name": "\#(secret)", "created_at": "2026-02-30"}]}"#, []),
                ("data.csv", header + "c1,am@kam.example,Ann,ann@acme.example,1,2026-02-30,\(secret),Lead,2026-03-01,none\n", ["--map", "workbench"]),
                ("data.csv", header + "c1,am@kam.example,Ann,ann@acme.example,1,2026-01-05,x,Lead,2026-03-01,\"\(secret)\n", ["--map", "workbench"]),
                ("data.csv", "Company,Email\nAcme,ann@acme.example\n", ["--map", "map.yaml"]),
            ]
            try workspace.write("map.yaml", "name: m\nfields:\n  client.name: Company\n  note: \(secret)\u{1}\n")
            for input in inputs {
                try workspace.write(input.file, input.text)
                let arguments = ["import", input.file] + input.arguments
                let result = try await KAMTool.run(arguments + ["--db", workspace.database.path], in: workspace.directory)
                expectQuiet(result, secret)
            }
        }
    }

    @Test("schema files and documents: a secret next to an error is never printed by schema validate")
    func schemaFiles() async throws {
        let workspace = try Workspace()
        for secret in Self.secrets {
            try workspace.write("schema.json", #"{"type": "object", "description": "\#(secret)", "properties": {"a": {"type": "integer"}}"#)
            try workspace.write("docs.jsonl", "{\"a\": 1}\n")
            expectQuiet(try await workspace.kamWithoutDatabase("schema", "validate", "docs.jsonl", "--schema", "schema.json"), secret)
            try workspace.write("schema.json", #"{"type": "object", "properties": {"a": {"type": "integer"}}}"#)
            try workspace.write("docs.jsonl", "{\"a\": \"x\", \"token\": \"\(secret)\"}\n{\"token\": \"\(secret)\", \"a\": tru}\n")
            expectQuiet(try await workspace.kamWithoutDatabase("schema", "validate", "docs.jsonl", "--schema", "schema.json"), secret)
        }
    }

    @Test("emails: a secret in a message that cannot be parsed is never printed by ingest or list")
    func emails() async throws {
        let workspace = try Workspace()
        for secret in Self.secrets {
            for message in [
                "From: a@b.example\nPassword \(secret) here\n\nbody",
                "From: a@b.example\nX-Key: \(secret)\nContent-Type: multipart/mixed\n\nbody",
                "X-Key: \(secret)\n\nbody \(secret)",
            ] {
                try workspace.write("m.eml", message)
                expectQuiet(try await workspace.kam("email", "ingest", "m.eml", "--no-analysis"), secret)
            }
            let listed = try await workspace.kam("email", "list", "--status", "failed")
            #expect(listed.exitCode == 0, "\(listed)")
            #expect(!(listed.stdout + listed.stderr).lowercased().contains(Self.marker.lowercased()), "\(listed)")
        }
    }
}
