import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam prompts ...`: list, inspect, render, compare, label and check the versioned prompt files.
///
/// Every subcommand calls the runtime's prompt catalogue over an inspecting runtime: the database's
/// version ledger when the file exists, never creating one.
struct PromptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "Manage the versioned prompt files: list, show, render, diff, promote, rollback, check, refine.",
        subcommands: [List.self, Show.self, Render.self, Diff.self, Promote.self, Rollback.self, Check.self, Refine.self]
    )

    // MARK: - list

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every prompt with its versions and labels.")

        @OptionGroup var folder: PromptFolder
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(global, prompts: folder.prompts, readsDatabase: false)
            let catalog = runtime.runtime.promptCatalog
            let prompts = try runtime.attempt { try catalog.list() }
            print("\(prompts.count) prompt\(prompts.count == 1 ? "" : "s") in \(catalog.directory)")
            for prompt in prompts {
                let labelText = prompt.labels.keys.sorted().map { "\($0)=\(prompt.labels[$0]!)" }.joined(separator: " ")
                let column = prompt.id.padding(toLength: max(prompt.id.count, 32), withPad: " ", startingAt: 0)
                print("\(column)  versions \(prompt.versions.joined(separator: ", "))  \(labelText)  \(prompt.name)")
            }
            fflush(nil)
        }
    }

    // MARK: - show

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one prompt version: its settings, inputs, hash and file.",
            discussion: "REF is ID (the production label), ID@VERSION or ID:LABEL.")

        @OptionGroup var folder: PromptFolder
        @OptionGroup var global: GlobalOptions

        @Argument(help: "ID, ID@VERSION or ID:LABEL.")
        var reference: String

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(global, prompts: folder.prompts)
            let shown = try runtime.attempt { try runtime.runtime.promptCatalog.show(reference) }
            let template = shown.template
            print("\(template.reference)  \(template.name)")
            if !template.description.isEmpty { print(template.description) }
            print("file:     \(template.file)")
            print("hash:     sha256:\(template.contentHash)")
            print("labels:   \(shown.labels.isEmpty ? "none" : shown.labels.joined(separator: ", "))")
            let model = template.model
            print(
                "model:    \(model.provider ?? "-")/\(model.id ?? "-")  temperature \(model.temperature.map { "\($0)" } ?? "-")  maxOutputTokens \(model.maxOutputTokens.map { "\($0)" } ?? "-")"
            )
            print("repair:   \(template.repairAttempts) attempts   context budget: \(template.contextTokenBudget.map { "\($0) tokens" } ?? "none")")
            print("inputs:")
            for input in template.inputs {
                var flags = [input.kind.rawValue, input.required ? "required" : "optional"]
                if input.untrusted { flags.append("untrusted") }
                if let value = input.defaultValue,
                    let json = try? JSONEncoder().encode(value)
                {
                    flags.append("default \(String(decoding: json, as: UTF8.self))")
                }
                print("  \(input.name) (\(flags.joined(separator: ", ")))  \(input.description)")
            }
            print("messages: \(template.blocks.map(\.role.rawValue).joined(separator: ", "))")
            for warning in template.warnings { print("  \(warning)") }
            print("---")
            print(shown.text, terminator: shown.text.hasSuffix("\n") ? "" : "\n")
            fflush(nil)
        }
    }

    // MARK: - render

    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a prompt version into chat messages (JSON, or text with --text).",
            discussion: "Variables come from --vars (a JSON object); with --client the context variables are filled from the store through the context assembler, and --vars overrides them.")

        @OptionGroup var folder: PromptFolder
        @OptionGroup var global: GlobalOptions

        @Argument(help: "ID, ID@VERSION or ID:LABEL.")
        var reference: String

        @Option(help: "A JSON file with the variables (an object).")
        var vars: String?

        @Option(help: "Fill the context variables for this client (id, name, email or domain).")
        var client: String?

        @Flag(help: "Print the messages as text, each after its role marker.")
        var text = false

        func run() async throws {
            var variables: [String: JSONValue] = [:]
            if let vars {
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: vars))
                } catch {
                    Terminal.printError("kam: cannot read --vars \(vars): \(error.localizedDescription)")
                    throw ExitCode.failure
                }
                guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                    Terminal.printError("kam: --vars \(vars) must hold a JSON object of variables, like {\"client_name\": \"Acme\"}")
                    throw ExitCode.validationFailure
                }
                variables = fields
            }
            let runtime = try await AgentRuntime.openInspecting(global, prompts: folder.prompts)
            let rendered = try runtime.attempt {
                let clientID = try client.map { try runtime.client($0).id }
                return try runtime.runtime.promptCatalog.render(reference, clientID: clientID, variables: variables)
            }
            if text {
                print(rendered.text)
            } else {
                print(try Terminal.json(rendered))
            }
            fflush(nil)
        }
    }

    // MARK: - diff

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the line differences between two versions of a prompt.")

        @OptionGroup var folder: PromptFolder
        @OptionGroup var global: GlobalOptions

        @Argument(help: "Prompt id.")
        var id: String

        @Argument(help: "The older version.")
        var from: String

        @Argument(help: "The newer version.")
        var to: String

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(global, prompts: folder.prompts, readsDatabase: false)
            let diff = try runtime.attempt { try runtime.runtime.promptCatalog.diff(id, from: from, to: to) }
            print("--- \(id)/\(from).prompty")
            print("+++ \(id)/\(to).prompty")
            for line in diff.lines { print(line) }
            fflush(nil)
        }
    }

    // MARK: - promote / rollback

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point a label at a version (labels.yaml keeps the previous one for rollback).")

        @OptionGroup var folder: PromptFolder

        @Argument(help: "Prompt id.")
        var id: String

        @Argument(help: "The version the label should serve.")
        var version: String

        @Option(help: "The label: production, candidate, or any name.")
        var label: String

        @Option(name: .customLong("require-eval"), help: "Refuse unless a stored run of this suite (file) passed its gate with this version.")
        var requireEval: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(
                global, prompts: folder.prompts, readsDatabase: requireEval != nil)
            let move = try runtime.attempt {
                try runtime.runtime.promptCatalog.promote(
                    id, version: version, label: label, requiringPassOf: requireEval, as: runtime.user)
            }
            print("\(id): \(label) \(move.from.map { "\($0) → " } ?? "")\(version)")
            fflush(nil)
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a label back to the version it served before its last promotion.")

        @OptionGroup var folder: PromptFolder
        @OptionGroup var global: GlobalOptions

        @Argument(help: "Prompt id.")
        var id: String

        @Option(help: "The label to roll back.")
        var label: String

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(global, prompts: folder.prompts, readsDatabase: false)
            let move = try runtime.attempt { try runtime.runtime.promptCatalog.rollback(id, label: label, as: runtime.user) }
            print("\(id): \(label) \(move.from ?? "?") → \(move.to ?? "?")")
            fflush(nil)
        }
    }

    // MARK: - check

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every prompt version and label; exit non-zero on any error (for CI).",
            discussion: "When the database exists, used versions are also checked against their recorded content hash.")

        @OptionGroup var folder: PromptFolder
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let runtime = try await AgentRuntime.openInspecting(global, prompts: folder.prompts)
            let check = runtime.runtime.promptCatalog.check()
            for diagnostic in check.diagnostics { print(diagnostic) }
            print(
                "\(check.prompts) prompts, \(check.versions) versions checked in \(check.directory): \(check.errors) error\(check.errors == 1 ? "" : "s"), \(check.warnings) warning\(check.warnings == 1 ? "" : "s")"
            )
            fflush(nil)
            if check.errors > 0 { throw ExitCode.failure }
        }
    }
}
