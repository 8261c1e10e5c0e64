import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime
import KAMStore

/// `kam draft new|list|show|edit|approve|reject|regenerate|export|mark-sent`: drafts a person approves.
///
/// KAM never sends mail: `export --eml` writes a file a person sends, and `mark-sent` records that they did.
struct DraftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Generate drafts and move them through approval (KAM never sends them).",
        subcommands: [New.self, List.self, Show.self, Edit.self, Approve.self, Reject.self, Regenerate.self,
            Export.self, MarkSent.self]
    )

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draft a message for a client; it waits as pending.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The client: id, name, contact email or email domain.") var client: String
        @Option(help: "follow-up, check-in, deal-update or task-reminder.") var kind: DraftKind = .followUp
        @Option(help: "What the draft should cover.") var hint: String?
        @Option(help: "Prompt version to use: ID, ID@VERSION or ID:LABEL (default: the kind's prompt, production).")
        var prompt: String?
        @Option(help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the shipped set).") var prompts: String?
        @Option(help: "Record the model calls into this folder for the replay provider.") var record: String?
        @Flag(help: "Print the answer as it streams.") var stream = false
        @Flag(help: "Print the draft as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config, prompts: prompts, record: record)
            // Streamed text is the model's JSON as it arrives: progress on stderr, the draft itself on stdout.
            let streaming = stream && !json
            var onDelta: (@Sendable (String) -> Void)? = nil
            if streaming { onDelta = { text in FileHandle.standardError.write(Data(text.utf8)) } }
            let draft = try await runtime.attempt {
                let client = try runtime.client(self.client)
                return try await runtime.runtime.drafts.generate(
                    client: client, kind: kind, hint: hint, reference: prompt, as: runtime.user, onDelta: onDelta)
            }
            if streaming { FileHandle.standardError.write(Data("\n".utf8)) }
            try Terminal.print(draft, json: json)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List drafts, newest first.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this client's drafts.") var client: String?
        @Option(help: "Only drafts in this state (pending, approved, edited-and-approved, rejected, sent).")
        var status: DraftStatus?
        @Option(help: "At most this many.") var limit = 50
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let drafts = try runtime.attempt {
                let clientID = try client.map { try runtime.client($0).id }
                return try runtime.runtime.drafts.list(clientID: clientID, status: status, limit: limit, as: runtime.user)
            }
            if json {
                Swift.print(try Terminal.json(drafts))
            } else if drafts.isEmpty {
                Swift.print("No drafts. Write one with `kam draft new CLIENT --kind follow-up`.")
            } else {
                for d in drafts {
                    Swift.print(
                        "\(d.id)  \(d.status.rawValue.padding(toLength: 19, withPad: " ", startingAt: 0))  "
                            + "\(d.clientID.padding(toLength: 14, withPad: " ", startingAt: 0))  "
                            + "\(d.kind.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0))  \(d.final.subject)")
                }
            }
            fflush(nil)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a draft, its history and feedback.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var id: String
        @Flag(help: "Also print the context the model saw.") var context = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let drafts = runtime.runtime.drafts
            let draft = try runtime.attempt { try drafts.draft(id, as: runtime.user) }
            if json {
                try Terminal.print(draft, json: true)
                return
            }
            try Terminal.print(draft, json: false)
            if let edited = draft.edited {
                Swift.print("\n--- model's original (edit distance \(draft.editDistance ?? 0)) ---")
                Swift.print("Subject: \(draft.original.subject)\n\n\(draft.original.plainText)")
                _ = edited
            }
            Swift.print("\nHistory:")
            for event in try runtime.attempt({ try drafts.history(id, as: runtime.user) }) {
                Swift.print(
                    "  \(Terminal.timestamp(event.at))  \(event.action)  → \(event.to.rawValue)"
                        + (event.user.map { "  by \($0)" } ?? "") + (event.detail.map { "  (\($0))" } ?? ""))
            }
            let feedback = try runtime.attempt { try drafts.feedback(id, as: runtime.user) }
            if !feedback.isEmpty {
                Swift.print("Feedback: " + feedback.map { "\($0.rating.rawValue)" + ($0.reason.map { " (\($0))" } ?? "") }.joined(separator: ", "))
            }
            if context { Swift.print("\nContext:\n\(draft.contextSnapshot)") }
            fflush(nil)
        }
    }

    struct Edit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit a pending draft: --body/--subject, or $EDITOR when neither is given.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var id: String
        @Option(help: "The new body.") var body: String?
        @Option(help: "The new subject.") var subject: String?
        @Option(help: "The new call to action.") var callToAction: String?

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let current = try runtime.attempt { try runtime.runtime.drafts.draft(id, as: runtime.user) }.final
            var content = current
            if body == nil && subject == nil && callToAction == nil {
                content = try DraftCommand.editInEditor(current)
            } else {
                if let body { content.body = body }
                if let subject { content.subject = subject }
                if let callToAction { content.callToAction = callToAction }
            }
            let draft = try runtime.attempt { try runtime.runtime.drafts.edit(id, to: content, as: runtime.user) }
            try Terminal.print(draft, json: false)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve a pending draft (edited-and-approved when it was edited).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let draft = try runtime.attempt { try runtime.runtime.drafts.approve(id, as: runtime.user) }
            Swift.print(
                "\(draft.id) \(draft.status.rawValue)"
                    + (draft.status == .editedAndApproved ? " (edit distance \(draft.editDistance ?? 0))" : "")
                    + ". Send it yourself (`kam draft export \(draft.id) --eml FILE`), then `kam draft mark-sent \(draft.id)`.")
            fflush(nil)
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending draft, with the reason.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var id: String
        @Option(help: "Why it is rejected (kept for evaluation and training).") var reason: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let draft = try runtime.attempt { try runtime.runtime.drafts.reject(id, reason: reason, as: runtime.user) }
            Swift.print("\(draft.id) rejected: \(reason)")
            fflush(nil)
        }
    }

    struct Regenerate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new draft like this one (the pending original is rejected as regenerated).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var config: ConfigOptions
        @Argument(help: "Draft id.") var id: String
        @Option(help: "A new hint (default: the original's).") var hint: String?
        @Option(help: "Prompt folder.") var prompts: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global, config, prompts: prompts)
            let draft = try await runtime.attempt {
                try await runtime.runtime.drafts.regenerate(id, hint: hint, as: runtime.user)
            }
            try Terminal.print(draft, json: json)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write an approved draft as an .eml file for a person to send from their mail program.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var id: String
        @Option(help: "The .eml file to write.") var eml: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let message = try runtime.attempt { try runtime.runtime.drafts.emlMessage(id, as: runtime.user) }
            do {
                try Data(message.utf8).write(to: URL(fileURLWithPath: eml), options: .atomic)
            } catch {
                Terminal.printError("kam: cannot write \(eml): \(error.localizedDescription)")
                throw ExitCode.failure
            }
            Swift.print("wrote \(eml)")
            fflush(nil)
        }
    }

    struct MarkSent: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark-sent", abstract: "Record that a person sent an approved draft; logs an activity.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Draft id.") var id: String

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let draft = try runtime.attempt { try runtime.runtime.drafts.markSent(id, as: runtime.user) }
            Swift.print("\(draft.id) sent; logged an outbound email on \(draft.clientID)")
            fflush(nil)
        }
    }

    // MARK: - Shared

    /// Opens the draft in `$EDITOR` (subject on the first line, a blank line, then the body).
    static func editInEditor(_ content: DraftContent) throws -> DraftContent {
        guard let editor = ProcessInfo.processInfo.environment["EDITOR"], !editor.isEmpty else {
            Terminal.printError("kam: set $EDITOR, or pass --body and --subject")
            throw ExitCode.validationFailure
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kam-draft-\(UUID().uuidString).txt")
        try Data("\(content.subject)\n\n\(content.plainText)\n".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(editor) \"$1\"", "sh", file.path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Terminal.printError("kam: the editor exited with status \(process.terminationStatus); nothing changed")
            throw ExitCode.failure
        }
        let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let subject = lines.first.map(String.init) ?? content.subject
        let body = lines.count > 1 ? String(lines[1]).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return DraftContent(subject: subject, body: body, callToAction: "")
    }
}

extension DraftKind: ExpressibleByArgument {}
extension DraftStatus: ExpressibleByArgument {}

