import ArgumentParser
import Foundation
import KAMCore
import KAMResources
import KAMStore

/// `kam prompts ...`: list, inspect, render, compare, label and check the versioned prompt files.
struct PromptsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prompts",
        abstract: "Manage the versioned prompt files: list, show, render, diff, promote, rollback, check.",
        subcommands: [List.self, Show.self, Render.self, Diff.self, Promote.self, Rollback.self, Check.self]
    )

    /// Where the prompt files are: `--prompts`, `KAM_PROMPTS`, `./Prompts`, then the copy inside kam.
    struct Folder: ParsableArguments {
        @Option(name: .long, help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the set shipped with kam).")
        var prompts: String?

        var url: URL { PromptRegistry.resolveDirectory(explicit: prompts) }
    }

    /// The registry, with the database's version ledger when the database file exists (never creating one).
    static func registry(_ folder: Folder, _ global: GlobalOptions, requireLedger: Bool = false) throws -> PromptRegistry {
        let path = global.databasePath
        guard requireLedger || FileManager.default.fileExists(atPath: path) else {
            return PromptRegistry(directory: folder.url)
        }
        let store = try StoreOpening.open(global)
        return PromptRegistry(directory: folder.url, ledger: SQLitePromptVersionLedger(writer: store.writer))
    }

    /// Prints a prompt error (every error diagnostic on its own line) and returns the exit code.
    static func fail(_ error: PromptError) -> ExitCode {
        StoreOpening.printError("kam: \(error.message)")
        for diagnostic in error.diagnostics { StoreOpening.printError("  \(diagnostic)") }
        return ExitCode.failure
    }

    static func run<T>(_ body: () throws(PromptError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw fail(error)
        }
    }

    // MARK: - list

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every prompt with its versions and labels.")

        @OptionGroup var folder: Folder

        func run() throws {
            let registry = PromptRegistry(directory: folder.url)
            let ids = try PromptsCommand.run { () throws(PromptError) in try registry.promptIDs() }
            print("\(ids.count) prompt\(ids.count == 1 ? "" : "s") in \(registry.directory.path)")
            for id in ids {
                let versions = try PromptsCommand.run { () throws(PromptError) in try registry.versions(of: id) }
                let labels = (try? registry.labels(of: id))?.labels ?? [:]
                let labelText = labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: " ")
                let name = (try? registry.parse(promptID: id, version: versions.last ?? ""))?.template?.name ?? ""
                let column = id.padding(toLength: max(id.count, 32), withPad: " ", startingAt: 0)
                print("\(column)  versions \(versions.joined(separator: ", "))  \(labelText)  \(name)")
            }
            fflush(nil)
        }
    }

    // MARK: - show

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one prompt version: its settings, inputs, hash and file.",
            discussion: "REF is ID (the production label), ID@VERSION or ID:LABEL.")

        @OptionGroup var folder: Folder
        @OptionGroup var global: GlobalOptions

        @Argument(help: "ID, ID@VERSION or ID:LABEL.")
        var reference: String

        func run() throws {
            let registry = try PromptsCommand.registry(folder, global)
            let template = try PromptsCommand.run { () throws(PromptError) in
                try registry.load(try PromptReference(parsing: reference))
            }
            let labels = (try? registry.labels(of: template.id))?.labels ?? [:]
            let pointing = labels.filter { $0.value == template.version }.keys.sorted()
            print("\(template.reference)  \(template.name)")
            if !template.description.isEmpty { print(template.description) }
            print("file:     \(template.file)")
            print("hash:     sha256:\(template.contentHash)")
            print("labels:   \(pointing.isEmpty ? "none" : pointing.joined(separator: ", "))")
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
            let text = (try? String(contentsOf: registry.fileURL(template.id, template.version), encoding: .utf8)) ?? ""
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            fflush(nil)
        }
    }

    // MARK: - render

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a prompt version into chat messages (JSON, or text with --text).",
            discussion: "Variables come from --vars (a JSON object); with --client the context variables are filled from the store through the context assembler, and --vars overrides them.")

        @OptionGroup var folder: Folder
        @OptionGroup var global: GlobalOptions

        @Argument(help: "ID, ID@VERSION or ID:LABEL.")
        var reference: String

        @Option(help: "A JSON file with the variables (an object).")
        var vars: String?

        @Option(help: "Fill the context variables for this client (id, name, email or domain).")
        var client: String?

        @Flag(help: "Print the messages as text, each after its role marker.")
        var text = false

        func run() throws {
            var variables: [String: JSONValue] = [:]
            if let client {
                variables = try Self.contextVariables(client: client, global: global, folder: folder, reference: reference)
            }
            if let vars {
                let data: Data
                do {
                    data = try Data(contentsOf: URL(fileURLWithPath: vars))
                } catch {
                    StoreOpening.printError("kam: cannot read --vars \(vars): \(error.localizedDescription)")
                    throw ExitCode.failure
                }
                guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                    StoreOpening.printError("kam: --vars \(vars) must hold a JSON object of variables, like {\"client_name\": \"Acme\"}")
                    throw ExitCode.validationFailure
                }
                variables.merge(fields) { _, explicit in explicit }
            }
            let registry = try PromptsCommand.registry(folder, global)
            let template = try PromptsCommand.run { () throws(PromptError) in
                try registry.load(try PromptReference(parsing: reference))
            }
            let rendered = try PromptsCommand.run { () throws(PromptError) in try template.render(variables) }
            if text {
                print(rendered.text)
            } else {
                print(try StoreOpening.json(rendered))
            }
            fflush(nil)
        }

        /// The assembled context's variables for `client`, fitted to the prompt's context budget.
        static func contextVariables(client: String, global: GlobalOptions, folder: Folder, reference: String) throws
            -> [String: JSONValue]
        {
            let registry = PromptRegistry(directory: folder.url)
            let budget = try PromptsCommand.run { () throws(PromptError) in
                try registry.load(try PromptReference(parsing: reference)).contextTokenBudget
            }
            let store = try StoreOpening.open(global)
            let target = try StoreOpening.resolve(client, in: store)
            let tokenizer: Tokenizer
            do {
                tokenizer = try Tokenizer(encoding: .o200kBase)
            } catch {
                StoreOpening.printError("kam: \(error)")
                throw ExitCode.failure
            }
            let assembler = ContextAssembler(tokenCounter: tokenizer, options: ContextAssemblyOptions(tokenBudget: budget))
            let result: ContextAssemblyResult
            do {
                result = try assembler.assemble(clientID: target.id, from: store, now: Date())
            } catch {
                throw StoreOpening.fail(error.underlying ?? error)
            }
            do {
                return try result.get().variables
            } catch {
                StoreOpening.printError("kam: \(error.message)")
                throw ExitCode.failure
            }
        }
    }

    // MARK: - diff

    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the line differences between two versions of a prompt.")

        @OptionGroup var folder: Folder

        @Argument(help: "Prompt id.")
        var id: String

        @Argument(help: "The older version.")
        var from: String

        @Argument(help: "The newer version.")
        var to: String

        func run() throws {
            let registry = PromptRegistry(directory: folder.url)
            for version in [from, to] {
                _ = try PromptsCommand.run { () throws(PromptError) in
                    try registry.resolve(PromptReference(promptID: id, selector: .version(version)))
                }
            }
            func lines(_ version: String) throws -> [String] {
                let url = registry.fileURL(id, version)
                guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                    StoreOpening.printError("kam: cannot read \(url.path)")
                    throw ExitCode.failure
                }
                return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            let old = try lines(from)
            let new = try lines(to)
            print("--- \(id)/\(from).prompty")
            print("+++ \(id)/\(to).prompty")
            for line in Self.unified(old, new) { print(line) }
            fflush(nil)
        }

        /// The lines of both files, `-` for removed, `+` for added, two spaces for kept (a longest-common-subsequence diff).
        static func unified(_ old: [String], _ new: [String]) -> [String] {
            let difference = new.difference(from: old)
            var removed = Set<Int>()
            var inserted = Set<Int>()
            for change in difference {
                switch change {
                case .remove(let offset, _, _): removed.insert(offset)
                case .insert(let offset, _, _): inserted.insert(offset)
                }
            }
            var out: [String] = []
            var i = 0
            var j = 0
            while i < old.count || j < new.count {
                if i < old.count, removed.contains(i) {
                    out.append("-" + old[i])
                    i += 1
                } else if j < new.count, inserted.contains(j) {
                    out.append("+" + new[j])
                    j += 1
                } else {
                    if i < old.count { out.append("  " + old[i]) }
                    i += 1
                    j += 1
                }
            }
            return out
        }
    }

    // MARK: - promote / rollback

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Point a label at a version (labels.yaml keeps the previous one for rollback).")

        @OptionGroup var folder: Folder

        @Argument(help: "Prompt id.")
        var id: String

        @Argument(help: "The version the label should serve.")
        var version: String

        @Option(help: "The label: production, candidate, or any name.")
        var label: String

        @Option(name: .customLong("require-eval"), help: "Refuse unless a stored run of this suite (file) passed its gate with this version.")
        var requireEval: String?

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let registry = PromptRegistry(directory: folder.url)
            if let requireEval {
                try EvalCommand.requirePassingRun(suite: requireEval, promptID: id, version: version, registry: registry, global: global)
            }
            let before = (try? registry.labels(of: id))?.labels[label]
            _ = try PromptsCommand.run { () throws(PromptError) in
                try registry.promote(promptID: id, version: version, label: label)
            }
            print("\(id): \(label) \(before.map { "\($0) → " } ?? "")\(version)")
            fflush(nil)
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a label back to the version it served before its last promotion.")

        @OptionGroup var folder: Folder

        @Argument(help: "Prompt id.")
        var id: String

        @Option(help: "The label to roll back.")
        var label: String

        func run() throws {
            let registry = PromptRegistry(directory: folder.url)
            let before = (try? registry.labels(of: id))?.labels[label]
            let labels = try PromptsCommand.run { () throws(PromptError) in
                try registry.rollback(promptID: id, label: label)
            }
            print("\(id): \(label) \(before ?? "?") → \(labels.labels[label] ?? "?")")
            fflush(nil)
        }
    }

    // MARK: - check

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every prompt version and label; exit non-zero on any error (for CI).",
            discussion: "When the database exists, used versions are also checked against their recorded content hash.")

        @OptionGroup var folder: Folder
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let registry = try PromptsCommand.registry(folder, global)
            let diagnostics = registry.check()
            for diagnostic in diagnostics { print(diagnostic) }
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.count - errors
            let ids = (try? registry.promptIDs()) ?? []
            let versions = ids.reduce(0) { $0 + ((try? registry.versions(of: $1).count) ?? 0) }
            print(
                "\(ids.count) prompts, \(versions) versions checked in \(registry.directory.path): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            )
            fflush(nil)
            if errors > 0 { throw ExitCode.failure }
        }
    }
}
