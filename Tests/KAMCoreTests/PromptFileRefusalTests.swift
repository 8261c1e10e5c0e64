import Foundation
import Testing

@testable import KAMCore
import KAMResources

/// What `kam prompts check` refuses in a prompt folder: lines shaped like role markers that are not
/// roles, Mustache partials and parents, and version files whose name is not a version, each with
/// where it is. Every rule is tried on many generated instances.
@Suite("Prompt file refusals")
struct PromptFileRefusalTests {
    /// A valid prompt whose body is `body`; the body starts on line 9.
    static func prompt(body: String) -> String {
        """
        ---
        name: Test
        inputs:
          - name: client_name
            kind: string
            required: true
        ---

        \(body)
        """
    }

    static let bodyFirstLine = 9

    func parse(_ text: String) throws -> (PromptTemplate?, [PromptDiagnostic]) {
        let folder = try PromptTestSupport.folder(with: text)
        defer { PromptTestSupport.remove(folder) }
        return try PromptRegistry(directory: folder).parse(promptID: "test.prompt", version: "1")
    }

    // MARK: - Role markers

    /// Lines that have the form of a role marker and are not a role KAM sends, with the code and the
    /// column of the word.
    static let refusedMarkers: [(line: String, code: String, column: Int)] = {
        var lines: [(String, String, Int)] = []
        let words = [
            "hacker", "sytem", "usr", "assistent", "developer", "admin", "root", "human", "ai", "bot", "model", "x",
            "system2", "user_1", "as-sistant", "note", "context", "instructions", "sk-proj-4f9a8b7c6d5e4f3a2b1c0d9e8f7a",
        ]
        for word in words {
            lines.append(("\(word):", "prompt.unknown-role", 1))
            lines.append(("\(word) :", "prompt.unknown-role", 1))
            lines.append(("\(word):   ", "prompt.unknown-role", 1))
            lines.append(("# \(word):", "prompt.unknown-role", 3))
            lines.append(("#\(word):", "prompt.unknown-role", 2))
        }
        for word in ["function", "tool", "Tool", "FUNCTION"] {
            lines.append(("\(word):", "prompt.unsupported-role", 1))
            lines.append(("# \(word):", "prompt.unsupported-role", 3))
        }
        for role in ["system", "user", "assistant", "System", "USER"] {
            lines.append(("  \(role):", "prompt.indented-role", 3))
            lines.append(("\t\(role):", "prompt.indented-role", 2))
            lines.append(("    # \(role):", "prompt.indented-role", 7))
        }
        return lines
    }()

    @Test("a line shaped like a role marker that is not a role is refused at its line and column")
    func refusedRoleMarkers() throws {
        #expect(Self.refusedMarkers.count > 100)
        for (line, code, column) in Self.refusedMarkers {
            // In the middle of a message, and as the first line of the body.
            for body in ["system:\nBe brief.\n\(line)\nHello {{client_name}}.", "\(line)\nuser:\nHello {{client_name}}."] {
                let (template, diagnostics) = try parse(Self.prompt(body: body))
                #expect(template == nil, "\(line.debugDescription) was accepted")
                let expectedLine = Self.bodyFirstLine + (body.hasPrefix(line) ? 0 : 2)
                let error = diagnostics.first { $0.code == code }
                #expect(error?.line == expectedLine, "\(line.debugDescription): \(diagnostics)")
                #expect(error?.column == column, "\(line.debugDescription): \(diagnostics)")
                #expect(error?.severity == .error)
                #expect(error?.description.contains("1.prompty:\(expectedLine):\(column): error:") == true, "\(diagnostics)")
                // One problem, one error: not also "text before the first role marker".
                #expect(!diagnostics.contains { $0.code == "prompt.body" }, "\(line.debugDescription): \(diagnostics)")
                // The message never quotes a key-shaped word.
                #expect(!(error?.message.contains("4f9a8b7c6d5e") ?? false))
            }
        }
    }

    @Test("a misspelt role gets a suggestion")
    func suggestion() throws {
        for (typo, role) in [("sytem", "system"), ("usr", "user"), ("assistent", "assistant"), ("uesr", "user")] {
            let (_, diagnostics) = try parse(Self.prompt(body: "system:\nBe brief.\n\(typo):\nHello {{client_name}}."))
            let error = try #require(diagnostics.first { $0.code == "prompt.unknown-role" })
            #expect(error.message.contains("did you mean `\(role):`?"), "\(error)")
        }
    }

    /// Lines that are text: headings, sentences, indented lines, lines with text after the colon.
    static let textLines = [
        "Email:", "Client context:", "Background on the client:", "Facts on record:", "Open deals:", "Note: be brief",
        "user: hello", "system: you are", "hacker: text after the colon", "  hacker:", "\tnote:", "Hacker:", "HACKER:",
        "# Notes:", "## Heading", "1:", "-:", "{{client_name}}:", "http://example.com:", "a b:", "user:: x", "::",
        "Rules:", "Output:",
    ]

    @Test("headings, sentences and indented lines ending in a colon stay text")
    func textStaysText() throws {
        for line in Self.textLines {
            let (template, diagnostics) = try parse(Self.prompt(body: "system:\nBe brief.\n\(line)\nuser:\nHello {{client_name}}."))
            let loaded = try #require(template, "\(line.debugDescription) was refused: \(diagnostics)")
            #expect(loaded.blocks.map(\.role) == [.system, .user], "\(line.debugDescription)")
            #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(line.debugDescription): \(diagnostics)")
        }
    }

    @Test("role markers in any case, with Prompty's # and spaces before the colon, start messages")
    func markerForms() throws {
        let forms = ["system:", "System:", "SYSTEM:", "system :", "# system:", "#system:", "system:  ", "system:\r"]
        for form in forms {
            let (template, diagnostics) = try parse(Self.prompt(body: "\(form)\nBe brief.\nuser:\nHello {{client_name}}."))
            let loaded = try #require(template, "\(form.debugDescription): \(diagnostics)")
            #expect(loaded.blocks.map(\.role) == [.system, .user], "\(form.debugDescription)")
            #expect(loaded.blocks.first?.line == Self.bodyFirstLine + 1)
        }
    }

    @Test("every shipped prompt passes the role-marker rules")
    func shippedPromptsPass() throws {
        let registry = PromptRegistry(directory: PromptTestSupport.shippedPrompts)
        let errors = registry.check().filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors)")
    }

    // MARK: - Partials

    static let inclusions: [(tag: String, kind: String)] = {
        var tags: [(String, String)] = []
        for name in ["header", "footer", "client/intro", "x", "signature.v2"] {
            tags.append(("{{> \(name)}}", "{{> \(name)}}"))
            tags.append(("{{>\(name)}}", "{{> \(name)}}"))
            tags.append(("{{>  \(name)  }}", "{{> \(name)}}"))
            tags.append(("{{>*\(name)}}", "{{> *\(name)}}"))
            tags.append(("{{< \(name)}}{{/\(name)}}", "{{< \(name)}}"))
            tags.append(("{{<\(name)}}{{$block}}text{{/block}}{{/\(name)}}", "{{< \(name)}}"))
        }
        return tags
    }()

    @Test("a partial or parent tag is refused as unsupported, at its line and column")
    func partialsRefused() throws {
        for (tag, shown) in Self.inclusions {
            for prefix in ["", "Hello {{client_name}}. ", "Hi.\nMore text.\n  "] {
                let body = "system:\nBe brief.\nuser:\n\(prefix)\(tag)"
                let (template, diagnostics) = try parse(Self.prompt(body: body))
                #expect(template == nil, "\(tag) was accepted")
                let error = try #require(diagnostics.first { $0.code == "prompt.partial" }, "\(tag): \(diagnostics)")
                let prefixLines = prefix.split(separator: "\n", omittingEmptySubsequences: false)
                #expect(error.line == Self.bodyFirstLine + 3 + prefixLines.count - 1, "\(tag) after \(prefix.debugDescription)")
                #expect(error.column == (prefixLines.last?.count ?? 0) + 1, "\(tag) after \(prefix.debugDescription)")
                #expect(error.message.contains("not support Mustache partials"), "\(error)")
                #expect(error.message.contains("`\(shown)`"), "\(error)")
            }
        }
    }

    @Test("the Mustache engine itself still renders partials (the conformance suite needs them)")
    func engineKeepsPartials() throws {
        let template = try MustacheTemplate("[{{> inner}}]")
        #expect(template.inclusions.map(\.name) == ["inner"])
        #expect(template.render([:], partials: MustachePartials(["inner": "x"])) == "[x]")
    }

    // MARK: - Version file names

    static let badVersionNames = [
        "latest", "1a", "01", "001", "0", "00", "v2", "1.0", "1.2.3", "-1", "+1", "1e3", "one", "٣", "1 ", " 1", "1_000",
        "1234567890", "production", "draft", "2-candidate",
    ]

    @Test("a version file whose name is not a version is refused by check and never loaded")
    func badVersionNames() throws {
        let valid = try String(contentsOf: PromptTestSupport.shippedPrompts.appendingPathComponent("draft.check-in/1.prompty"), encoding: .utf8)
        for name in Self.badVersionNames {
            let folder = try PromptTestSupport.folder(with: valid, id: "draft.check-in")
            defer { PromptTestSupport.remove(folder) }
            let promptFolder = folder.appendingPathComponent("draft.check-in")
            try Data(valid.utf8).write(to: promptFolder.appendingPathComponent("\(name).prompty"))
            let registry = PromptRegistry(directory: folder)
            #expect(try registry.versions(of: "draft.check-in") == ["1"], "\(name.debugDescription)")
            let errors = registry.check().filter { $0.code == "prompt.version-name" }
            #expect(errors.count == 1, "\(name.debugDescription): \(errors)")
            #expect(errors.first?.file.hasSuffix("draft.check-in/\(name).prompty") == true, "\(errors)")
            #expect(errors.first?.message.contains("`2.prompty`") == true, "\(errors)")
            #expect(errors.first?.severity == .error)
            #expect(throws: PromptError.self) {
                try registry.load(PromptReference(promptID: "draft.check-in", selector: .version(name)))
            }
        }
    }

    @Test("a folder holding only misnamed version files is reported, not skipped")
    func onlyMisnamed() throws {
        let valid = try String(contentsOf: PromptTestSupport.shippedPrompts.appendingPathComponent("draft.check-in/1.prompty"), encoding: .utf8)
        let folder = try PromptTestSupport.folder(with: valid, id: "draft.check-in")
        defer { PromptTestSupport.remove(folder) }
        let other = folder.appendingPathComponent("other.prompt")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data(valid.utf8).write(to: other.appendingPathComponent("latest.prompty"))
        let registry = PromptRegistry(directory: folder)
        #expect(try registry.promptIDs() == ["draft.check-in"])
        let errors = registry.check().filter { $0.code == "prompt.version-name" }
        #expect(errors.map { URL(fileURLWithPath: $0.file).lastPathComponent } == ["latest.prompty"])
        #expect(errors.first?.message.contains("`1.prompty`") == true, "\(errors)")
    }

    @Test("version names: whole numbers from 1 without leading zeros")
    func versionNameRule() {
        for good in ["1", "2", "9", "10", "99", "100", "123456789"] { #expect(PromptVersionName.isValid(good), "\(good)") }
        for bad in Self.badVersionNames { #expect(!PromptVersionName.isValid(bad), "\(bad.debugDescription)") }
    }
}

extension PromptFileRefusalTests {
    @Test("a file with CRLF line ends reads as the same file with LF, markers and positions included")
    func crlf() throws {
        let text = Self.prompt(body: "system:\nBe brief.\nuser:\nHello {{client_name}}.\nhacker:")
        let (lf, lfDiagnostics) = try parse(text)
        let (crlf, crlfDiagnostics) = try parse(text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(lf == nil && crlf == nil)
        #expect(crlfDiagnostics.map(\.code) == lfDiagnostics.map(\.code), "\(crlfDiagnostics)")
        #expect(crlfDiagnostics.first { $0.code == "prompt.unknown-role" }?.line == Self.bodyFirstLine + 4)
        let valid = Self.prompt(body: "system:\nBe brief.\nuser:\nHello {{client_name}}.").replacingOccurrences(of: "\n", with: "\r\n")
        let (template, diagnostics) = try parse(valid)
        #expect(template?.blocks.map(\.role) == [.system, .user], "\(diagnostics)")
        #expect(try template?.render(["client_name": "Acme"]).messages == [.system("Be brief."), .user("Hello Acme.")])
    }
}
