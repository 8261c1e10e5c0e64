import ArgumentParser
import Foundation
import KAMCore
import KAMRuntime

/// `kam contacts list|add|update|remove CLIENT ...`: a client's people by hand.
struct ContactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contacts",
        abstract: "List, add, update and remove a client's contacts (role, title, email, phone).",
        subcommands: [List.self, Add.self, Update.self, Remove.self]
    )

    /// The contact fields `add` and `update` take.
    struct FieldOptions: ParsableArguments {
        @Option(help: "Email address (checked).") var email: String?
        @Option(help: "Phone number (+1 555 0100, with an optional x12 extension).") var phone: String?
        @Option(help: "Job title.") var title: String?
        @Option(help: "Role in the deal.") var role: ContactRole?

        func fields(name: String?, clearing: [ContactService.Field] = []) -> ContactService.Fields {
            ContactService.Fields(name: name, email: email, phone: phone, title: title, role: role, clearing: Set(clearing))
        }
    }

    /// One contact on one line: `3  Jane Doe, CFO [decision-maker] <jane@acme.example> +1 555 0100`.
    static func line(_ c: Contact) -> String {
        "\(c.id ?? 0)  \(c.name)" + (c.title.map { ", \($0)" } ?? "") + " [\(c.role.rawValue)]"
            + (c.email.map { " <\($0)>" } ?? "") + (c.phone.map { " \($0)" } ?? "")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A client's contacts, by name, with their ids.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Flag(help: "Print a JSON array.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let (target, contacts) = try runtime.attempt {
                let target = try runtime.client(client)
                return (target, try runtime.runtime.contacts.list(clientID: target.id, as: runtime.user))
            }
            if json {
                print(try Terminal.json(contacts))
            } else if contacts.isEmpty {
                print("\(target.id) has no contacts. Add one with `kam contacts add \(target.id) NAME --email ADDRESS`.")
            } else {
                for contact in contacts { print(ContactsCommand.line(contact)) }
            }
            fflush(nil)
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a contact to a client.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Argument(help: "The person's name.") var name: String
        @OptionGroup var fields: FieldOptions
        @Flag(help: "Print the stored contact and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                let target = try runtime.client(client)
                return try runtime.runtime.contacts.add(clientID: target.id, fields.fields(name: name), as: runtime.user)
            }
            try RefreshReport.print(
                "added contact to \(write.contact.clientID): " + ContactsCommand.line(write.contact), write.refresh,
                json: json ? write : nil)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a contact's name, email, phone, title or role.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Argument(help: "The contact: its id (`kam contacts list CLIENT`), email or name.") var contact: String
        @Option(help: "A new name.") var name: String?
        @OptionGroup var fields: FieldOptions
        @Option(help: ArgumentHelp("Empty a field: email, phone, title (repeatable).", valueName: "field"))
        var clear: [ContactService.Field] = []
        @Flag(help: "Print the stored contact and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                let target = try runtime.client(client)
                return try runtime.runtime.contacts.update(
                    clientID: target.id, contact: contact, fields.fields(name: name, clearing: clear), as: runtime.user)
            }
            try RefreshReport.print(
                "updated contact of \(write.contact.clientID): " + ContactsCommand.line(write.contact), write.refresh,
                json: json ? write : nil)
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a contact (activities with them keep their text).")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "Client id, name, external id, contact email or domain.") var client: String
        @Argument(help: "The contact: its id, email or name.") var contact: String
        @Flag(help: "Print the removed contact and what it changed as JSON.") var json = false

        func run() async throws {
            let runtime = try await AgentRuntime.open(global)
            let write = try runtime.attempt {
                let target = try runtime.client(client)
                return try runtime.runtime.contacts.remove(clientID: target.id, contact: contact, as: runtime.user)
            }
            try RefreshReport.print(
                "removed contact from \(write.contact.clientID): " + ContactsCommand.line(write.contact), write.refresh,
                json: json ? write : nil)
        }
    }
}

extension ContactRole: ExpressibleByArgument {}
extension ContactService.Field: ExpressibleByArgument {}
