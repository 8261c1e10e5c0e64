import Testing

@testable import KAMCore

@Suite("Mustache template")
struct MustacheTemplateTests {
    @Test("text mode does not HTML-escape")
    func textMode() throws {
        let template = try MustacheTemplate("Hi {{name}} & {{{name}}}")
        #expect(template.render(["name": "A&B <x>"]) == "Hi A&B <x> & A&B <x>")
        #expect(template.render(["name": "A&B"], escaping: .html) == "Hi A&amp;B & A&B")
    }

    @Test("syntax errors carry line and column")
    func syntaxErrors() throws {
        let unclosed = #expect(throws: MustacheSyntaxError.self) { try MustacheTemplate("line one\n  {{#facts}}\n{{text}}\n") }
        #expect(unclosed?.code == .unclosedSection)
        #expect(unclosed?.line == 2)
        #expect(unclosed?.column == 3)
        let mismatched = #expect(throws: MustacheSyntaxError.self) { try MustacheTemplate("{{#a}}\n{{/b}}") }
        #expect(mismatched?.code == .mismatchedClose)
        #expect(mismatched?.line == 2)
        let tag = #expect(throws: MustacheSyntaxError.self) { try MustacheTemplate("ok\nok {{name") }
        #expect(tag?.code == .unclosedTag)
        #expect(tag?.line == 2)
        #expect(tag?.column == 4)
    }

    @Test("numbers, lists and empty strings")
    func values() throws {
        let template = try MustacheTemplate("{{a}} {{b}} {{#empty}}x{{/empty}}{{^empty}}none{{/empty}} {{#list}}[{{.}}]{{/list}}")
        let output = template.render(["a": 3.0, "b": 2.5, "empty": "", "list": [1, "two"]])
        #expect(output == "3 2.5 none [1][two]")
    }

    @Test("referenced names separate root names from section item fields")
    func referencedNames() throws {
        let template = try MustacheTemplate("{{client_name}} {{#facts}}{{text}}{{/facts}} {{^hint}}{{missing}}{{/hint}}")
        let references = template.referencedNames.map { "\($0.path.joined(separator: ".")) \($0.insideSection) \($0.line):\($0.column)" }
        #expect(references == ["client_name false 1:1", "facts false 1:17", "text true 1:27", "hint false 1:46", "missing false 1:55"])
    }
}
