import ArgumentParser
import Foundation
import KAMCore

/// `kam schema …`: JSON Schema tools.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Check JSON documents against a JSON Schema (draft 2020-12).",
        subcommands: [Validate.self]
    )

    /// `kam schema validate --schema S.json [FILE.jsonl|-]`.
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate one JSON document per line; print each error as LINE: POINTER: message (keyword).",
            discussion: "Exits 0 when every document is valid, 1 when any is invalid, 2 when the schema cannot be used."
        )

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "The JSON Schema file.")
        var schema: String

        @Argument(help: "A JSON Lines file, or - for standard input (the default).")
        var input: String = "-"

        func run() async throws {
            let compiled: JSONSchema
            do {
                compiled = try loadSchema()
            } catch {
                Terminal.printError("kam schema validate: \(error)")
                throw ExitCodes.fileUnreadable.exit
            }
            let data: Data
            do {
                data = input == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: input))
            } catch {
                Terminal.printError("kam schema validate: cannot read \(input): \(error.localizedDescription)")
                throw ExitCodes.fileUnreadable.exit
            }
            let report = Self.check(String(decoding: data, as: UTF8.self), against: compiled)
            for line in report.lines { print(line) }
            fflush(nil)
            Terminal.printError("\(report.documents) document(s), \(report.invalid) invalid")
            if report.invalid > 0 { throw ExitCodes.documentsInvalid.exit }
        }

        func loadSchema() throws -> JSONSchema {
            let url = URL(fileURLWithPath: schema)
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw SchemaError(
                    code: .unreadable, message: "cannot read the schema file \(schema): \(error.localizedDescription)",
                    schemaLocation: schema)
            }
            do {
                return try JSONSchema(text: text, baseURI: url.absoluteURL.absoluteString)
            } catch {
                var located = error
                if error.code == .unreadable { located.schemaLocation = schema }
                throw located
            }
        }

        /// Validates each non-blank line; returns the printed lines and the counts.
        static func check(_ text: String, against schema: JSONSchema) -> (lines: [String], documents: Int, invalid: Int) {
            var lines: [String] = []
            var documents = 0
            var invalid = 0
            let parser = JSONParser()
            for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                documents += 1
                let number = offset + 1
                let issues: [ValidationIssue]
                do {
                    issues = schema.validate(try parser.parse(trimmed))
                } catch {
                    issues = [ValidationIssue(
                        instanceLocation: "", keywordLocation: "", keyword: "json",
                        message: "not valid JSON: column \(error.column): \(error.message)")]
                }
                if !issues.isEmpty { invalid += 1 }
                for issue in issues { lines.append("\(number): \(issue.description)") }
            }
            return (lines, documents, invalid)
        }
    }
}
