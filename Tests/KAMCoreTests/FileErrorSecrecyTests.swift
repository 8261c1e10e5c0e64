import Foundation
import Testing

@testable import KAMCore
import KAMResources

/// An error about a file never prints the file's content: for every kind of file KAMCore reads, a
/// marker secret is put next to many kinds of error, and nothing an error says (its description, its
/// issues and diagnostics) may contain it. At most a short, sanitised excerpt of the token at fault is
/// quoted, and never one that looks like a key.
@Suite("Errors about files keep their content out")
struct FileErrorSecrecyTests {
    static let marker = "SECRETMARKER"

    /// Secrets of several shapes; each contains the marker.
    static func secrets(_ index: Int) -> [String] {
        [
            "sk-live-\(marker)-\(index)-7f3a9c2e1b4d", "hunter2-\(marker)-\(index)", "\(marker)\(index)",
            "ghp_\(marker)0123456789abcdef\(index)",
        ]
    }

    /// YAML texts with `secret` next to an error: on the error's line, before or after it, or on the line
    /// above or below. `line` builds a valid `key: value` line; the errors are syntax errors of every
    /// kind libyaml reports (reader, scanner, parser, composer) and type errors.
    static func brokenYAML(secret: String, line: (String, String) -> String) -> [String] {
        let good = line("name", "ok")
        let withSecret = line("api_key", secret)
        return [
            // Reader errors: a control character on the secret's line, or on the next one.
            "\(good)\n\(withSecret)\u{1}\n",
            "\(good)\n\(withSecret)\n\(line("other", "a\u{7}b"))\n",
            "\(withSecret)\u{1B}[31m\n",
            // Scanner errors: an unclosed flow or quote, a tab, a bad escape.
            "\(withSecret)\nlist: [a, b\n",
            "\(line("api_key", "[\(secret)"))\n",
            "\(line("api_key", "\"\(secret)"))\n",
            "\(withSecret)\n\tindented: tab\n",
            "\(line("api_key", "\"\(secret)\\q\""))\n",
            "\(withSecret)\n@oops: 1\n",
            // Parser errors: bad indentation, a mapping value where none may be.
            "\(good)\n  \(withSecret)\n bad: 1\n",
            "\(withSecret): nested: no\n",
            "\(line("api_key", "\(secret): x"))\n",
            "- a\n\(withSecret)\n",
            // Composer errors: an undefined alias, next to the secret.
            "\(withSecret)\nalias: *nowhere\n",
            "\(withSecret)\n*nowhere: 1\n",
        ]
    }

    /// Everything an error would show a person.
    static func printed(_ error: any Error) -> String {
        var parts = ["\(error)", String(describing: error), String(reflecting: error)]
        if let error = error as? ConfigurationError { parts += error.issues.map(\.description) }
        if let error = error as? PromptError { parts += error.diagnostics.map(\.description) + [error.message] }
        if let error = error as? EvalSuiteError { parts += error.issues.map(\.description) }
        return parts.joined(separator: "\n")
    }

    func expectSecret(notIn text: String, _ secret: String, _ source: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lowered = text.lowercased()
        #expect(!lowered.contains(Self.marker.lowercased()), "\(source.debugDescription) printed:\n\(text)", sourceLocation: sourceLocation)
        #expect(!lowered.contains(secret.lowercased()), sourceLocation: sourceLocation)
    }

    /// Runs `read` on `source`, which must fail, and checks that what its error prints keeps `secret` out.
    func expectRefusal(
        of source: String, keeping secret: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ read: () throws -> Void
    ) {
        do {
            try read()
            Issue.record("accepted: \(source.debugDescription)", sourceLocation: sourceLocation)
        } catch {
            expectSecret(notIn: Self.printed(error), secret, source, sourceLocation: sourceLocation)
        }
    }

    @Test("kam.yaml, price overrides, labels.yaml and eval suites: YAML errors never print the file")
    func yamlFiles() throws {
        var checked = 0
        for index in 0..<3 {
            for secret in Self.secrets(index) {
                for text in Self.brokenYAML(secret: secret, line: { "\($0): \($1)" }) {
                    // kam.yaml, at the top and as a provider's fields (the secret as its key).
                    for config in [text, "providers:\n  p:\n" + text.indented(4)] {
                        expectRefusal(of: config, keeping: secret) { _ = try KAMConfiguration.parse(config, file: "kam.yaml") }
                    }
                    // A price override file, labels.yaml and an eval suite.
                    expectRefusal(of: text, keeping: secret) { _ = try PriceTable().merging(overrides: text, file: "prices.yaml") }
                    expectRefusal(of: text, keeping: secret) { _ = try PromptLabels(yaml: text, file: "labels.yaml") }
                    expectRefusal(of: text, keeping: secret) {
                        _ = try EvalSuiteLoader.parse("prompt: p\ndataset: d.jsonl\n" + text, file: "suite.yaml")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked >= 150)
    }

    @Test("a YAML error still says where it is and what is wrong")
    func yamlErrorsKeepTheirPosition() {
        do {
            _ = try KAMConfiguration.parse("name: ok\napi_key: sk-live-\(Self.marker)\u{1}\n", file: "kam.yaml")
        } catch {
            let issue = error.issues.first
            #expect(issue?.line == 2, "\(error.issues)")
            #expect(issue?.column != nil)
            #expect(issue?.message.contains("not valid YAML: control characters are not allowed") == true, "\(error.issues)")
            #expect(issue?.message.contains("U+1") == true, "\(error.issues)")
        }
    }

    @Test("a wrong value that looks like a key is not quoted; a short one is, sanitised")
    func offendingTokens() {
        for secret in Self.secrets(7) where ErrorExcerpt.looksLikeCredential(secret) {
            for text in ["retry:\n  max_attempts: \(secret)\n", "budgets:\n  - scope: \(secret)\n    period: day\n    amount: 1\n"] {
                expectRefusal(of: text, keeping: secret) { _ = try KAMConfiguration.parse(text, file: "kam.yaml") }
            }
        }
        do {
            _ = try KAMConfiguration.parse("retry:\n  max_attempts: \"many\\e[2J\"\n", file: "kam.yaml")
        } catch {
            let text = Self.printed(error)
            #expect(text.contains("'many?[2J'"), "\(text)")
            #expect(!text.contains("\u{1B}"))
        }
    }

    @Test("prompt files: YAML, Mustache and role-marker errors never print the file")
    func promptFiles() throws {
        var checked = 0
        for index in 0..<2 {
            for secret in Self.secrets(index) {
                var texts = Self.brokenYAML(secret: secret, line: { "\($0): \($1)" }).map { yaml in
                    "---\nname: T\n\(yaml)---\nsystem:\nBe brief.\n"
                }
                let front = "---\nname: T\ninputs:\n  - name: x\n---\n"
                // The secret next to the error.
                texts += [
                    front + "system:\nKey \(secret) {{#x}} never closed.\n",
                    front + "system:\n{{#x}}\(secret){{/y}}\n",
                    front + "system:\n\(secret) {{x\n",
                    front + "system:\n{{x}}\n\(secret)\nhacker:\n",
                    front + "system:\n{{x}}\nhacker: \(secret)\nsytem:\n",
                    front + "system:\n{{x}} \(secret)\n{{> partial}}\n",
                    front + "\(secret)\nsystem:\n{{x}}\n",
                    "---\nname: T\ninputs:\n  - name: x\n    kind: bad\n    description: \(secret)\n---\nsystem:\n{{x}}\n",
                ]
                // The secret is the token at fault: quoted only when it does not look like a key.
                if ErrorExcerpt.looksLikeCredential(secret) {
                    texts += [
                        front + "system:\n{{/\(secret)}}\n",
                        front + "system:\n{{x}} {{\(secret)}}\n",
                        front + "system:\n{{x}} {{a..\(secret)}}\n",
                        front + "system:\n{{x}}\n{{> \(secret)}}\n",
                        "---\nname: T\ninputs:\n  - name: x\n    kind: \(secret)\n---\nsystem:\n{{x}}\n",
                    ]
                }
                for text in texts {
                    let folder = try PromptTestSupport.folder(with: text)
                    defer { PromptTestSupport.remove(folder) }
                    let registry = PromptRegistry(directory: folder)
                    let (template, diagnostics) = try registry.parse(promptID: "test.prompt", version: "1")
                    #expect(template == nil, "accepted: \(text.debugDescription)")
                    expectSecret(notIn: diagnostics.map(\.description).joined(separator: "\n"), secret, text)
                    expectRefusal(of: text, keeping: secret) {
                        _ = try registry.load(PromptReference(promptID: "test.prompt", selector: .version("1")))
                    }
                    checked += 1
                }
            }
        }
        #expect(checked >= 100)
    }

    @Test("eval datasets: JSON and date errors never print the line")
    func datasets() {
        for index in 0..<5 {
            for secret in Self.secrets(index) {
                let lines = [
                    #"{"id":"a","vars":{"api_key":"\#(secret)","x":tru}}"#,
                    #"{"id":"a","vars":{"api_key":"\#(secret)"},"x":}"#,
                    #"{"id":"a","vars":{"api_key":"\#(secret)","when":"2026-02-30"}}"#,
                    #"{"id":"a","vars":{"api_key":"\#(secret)"}} trailing"#,
                    #"{"id":"a","vars":{"api_key":"\#(secret)","n":01}}"#,
                    #"{"id":"a","vars":{"api_key":"\#(secret)\#u{1}"}}"#,
                    #"["\#(secret)"]"#,
                    #"{"vars":{"api_key":"\#(secret)"}}"#,
                ]
                for line in lines {
                    expectRefusal(of: line, keeping: secret) { _ = try EvalSuiteLoader.parseCases(line, file: "d.jsonl") }
                }
            }
        }
    }

    @Test("emails: the reason a message could not be parsed never quotes it")
    func emails() {
        for index in 0..<5 {
            for secret in Self.secrets(index) {
                let messages = [
                    "From: a@b.example\nPassword \(secret) here\n\nbody",
                    "From: a@b.example\nX-Key: \(secret)\nContent-Type: multipart/mixed\n\nbody",
                    "From: a@b.example\nContent-Type: multipart/mixed; x=\(secret)\n\nbody",
                    " \(secret)\nFrom: a@b.example\n\nbody",
                    "X-Key: \(secret)\n\nbody",
                ]
                for message in messages {
                    expectRefusal(of: message, keeping: secret) { _ = try EmailParser().parse(message) }
                }
                // A workbench row with a bad date and the secret in other fields, or as the date when it looks like a key.
                var dates = ["yesterday", "2026-02-30 10:00:00"]
                if ErrorExcerpt.looksLikeCredential(secret) { dates.append(secret) }
                for date in dates {
                    let items = try? EmailIntake.workbenchItems(
                        records: [
                            (1, EmailIntake.workbenchColumns),
                            (2, ["1", "inbox", "a@b.example", "subject \(secret)", date, "body \(secret)"]),
                        ],
                        file: "emails.csv")
                    if case .malformed(_, let reason)? = items?.first {
                        expectSecret(notIn: reason, secret, "workbench row")
                        #expect(reason.hasPrefix("emails.csv:2: sent_datetime"), "\(reason)")
                    } else {
                        Issue.record("the row dated \(date) was not malformed: \(String(describing: items))")
                    }
                }
            }
        }
    }
}

extension String {
    /// Every line prefixed by `count` spaces.
    fileprivate func indented(_ count: Int) -> String {
        split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : String(repeating: " ", count: count) + $0 }.joined(separator: "\n")
    }
}
