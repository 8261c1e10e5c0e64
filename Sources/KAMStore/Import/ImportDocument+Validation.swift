import Foundation
import KAMCore

extension ImportDocument {
    /// A value the import refuses, at its path in the JSON format (`clients[2].deals[0].probability`).
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var path: [JSONPathComponent]
        public var message: String
        /// For a record given twice: the path of its first appearance.
        public var firstPath: [JSONPathComponent]?

        public init(path: [JSONPathComponent], message: String, firstPath: [JSONPathComponent]? = nil) {
            self.path = path
            self.message = message
            self.firstPath = firstPath
        }

        public var description: String {
            "\(path.dottedPath): \(message)" + (firstPath.map { " (first at \($0.dottedPath))" } ?? "")
        }
    }

    /// The documented range of a numeric field (`NumberRule`, in the core: a memory item remembered by hand on either
    /// store is checked against the same rule).
    public typealias NumberRule = KAMCore.NumberRule

    /// Every value the import refuses: numbers out of their documented range, a record given twice
    /// (it would be merged into one row, the first silently overwritten), and email addresses
    /// that are not addresses.
    ///
    /// Records are the same when the importer would match them to the same row: users by id or
    /// email; clients by id (given or derived from the name) or external id; contacts, activities,
    /// deals, tasks and orders by their `id` anywhere in the file (external ids are unique in the
    /// store), and without one by what the importer matches on within the client (a contact's
    /// email, else its name; a deal's name; a task's title; an activity's or order's derived id);
    /// memory items by key within the client.
    public func problems() -> [Problem] {
        var problems: [Problem] = []
        var seen: [String: [JSONPathComponent]] = [:]
        func unique(_ key: String?, _ scope: String, _ path: [JSONPathComponent], _ message: String) {
            guard let key else { return }
            let scoped = scope + "\u{1F}" + key
            if let first = seen[scoped] {
                problems.append(Problem(path: path, message: message, firstPath: first))
            } else {
                seen[scoped] = path
            }
        }
        func range(_ value: Double?, _ rule: NumberRule, _ path: [JSONPathComponent]) {
            if let value, let message = rule.problem(value) { problems.append(Problem(path: path, message: message)) }
        }
        func email(_ value: String?, _ path: [JSONPathComponent]) {
            guard let value, let reason = EmailSyntax.problem(value) else { return }
            problems.append(Problem(path: path, message: "'\(value)' is not an email address: \(reason)"))
        }
        let twice = "a record appears once in a file: merge the two entries or change one of them"
        /// A record matched by its `id` anywhere in the file, else by `fallback` (at `field`, or the entry itself).
        func record(
            _ kind: String, _ id: String?, _ at: [JSONPathComponent], else fallback: String, field: String?, _ what: String
        ) {
            if let id {
                unique(id, kind, at + [.key("id")], "\(kind) id '\(id)' is given twice; \(twice)")
            } else {
                unique(fallback, "\(kind) without id", field.map { at + [.key($0)] } ?? at, "\(what); \(twice)")
            }
        }

        for (index, user) in users.enumerated() {
            let path: [JSONPathComponent] = [.key("users"), .index(index)]
            let address = user.email.trimmingCharacters(in: .whitespaces)
            email(address, path + [.key("email")])
            unique(user.resolvedID, "user", path + [.key(user.id == nil ? "email" : "id")], "user id '\(user.resolvedID)' is given twice; \(twice)")
            unique(address.lowercased(), "user-email", path + [.key("email")], "the email '\(address)' belongs to two users; \(twice)")
        }
        for (index, client) in clients.enumerated() {
            let path: [JSONPathComponent] = [.key("clients"), .index(index)]
            let clientID = client.resolvedID
            unique(
                clientID, "client", path + [.key(client.id == nil ? "name" : "id")],
                "client id '\(clientID)' is given twice\(client.id == nil ? " (derived from the name)" : ""); \(twice)")
            unique(client.externalID, "client-external", path + [.key("external_id")], "external_id '\(client.externalID ?? "")' is given twice; \(twice)")
            range(client.monthlyBudget, .monthlyBudget, path + [.key("monthly_budget")])

            for (i, contact) in (client.contacts ?? []).enumerated() {
                let at = path + [.key("contacts"), .index(i)]
                email(contact.email, at + [.key("email")])
                unique(contact.id, "contact", at + [.key("id")], "contact id '\(contact.id ?? "")' is given twice; \(twice)")
                if let address = contact.email {
                    unique(address.lowercased(), "contact-email:\(clientID)", at + [.key("email")], "two contacts of client '\(clientID)' have the email '\(address)'; \(twice)")
                } else if contact.id == nil {
                    unique(contact.name, "contact-name:\(clientID)", at + [.key("name")], "two contacts of client '\(clientID)' without id or email are named '\(contact.name)'; \(twice)")
                }
            }
            for (i, activity) in (client.activities ?? []).enumerated() {
                let at = path + [.key("activities"), .index(i)]
                range(activity.sentiment, .sentiment, at + [.key("sentiment")])
                record(
                    "activity", activity.id, at, else: activity.externalID(clientID: clientID), field: nil,
                    "the same activity (client, time, kind, subject and body) is given twice")
            }
            for (i, deal) in (client.deals ?? []).enumerated() {
                let at = path + [.key("deals"), .index(i)]
                range(deal.amount, .amount, at + [.key("amount")])
                range(deal.probability, .probability, at + [.key("probability")])
                record(
                    "deal", deal.id, at, else: "\(clientID)\u{1F}\(deal.name)", field: "name",
                    "two deals of client '\(clientID)' without id are named '\(deal.name)'")
            }
            for (i, task) in (client.tasks ?? []).enumerated() {
                record(
                    "task", task.id, path + [.key("tasks"), .index(i)], else: "\(clientID)\u{1F}\(task.title)",
                    field: "title", "two tasks of client '\(clientID)' without id have the title '\(task.title)'")
            }
            for (i, order) in (client.orders ?? []).enumerated() {
                let at = path + [.key("orders"), .index(i)]
                range(order.quantity.map(Double.init), .quantity, at + [.key("quantity")])
                range(order.amount, .amount, at + [.key("amount")])
                record(
                    "order", order.id, at, else: order.externalID(clientID: clientID), field: nil,
                    "the same order (product, date and amount) is given twice")
            }
            for (i, item) in (client.memory ?? []).enumerated() {
                let at = path + [.key("memory"), .index(i)]
                range(item.confidence, .confidence, at + [.key("confidence")])
                let key = item.resolvedKey
                unique(
                    key.isEmpty ? nil : key, "memory:\(clientID)", at + [.key(item.key == nil ? "value" : "key")],
                    "client '\(clientID)' has two memory items under the key '\(key)'\(item.key == nil ? " (derived from the value)" : ""); \(twice)")
            }
        }
        return problems
    }

    /// Issues in the form of `ImportError`, located by `locate` when the document came from a file.
    static let problemLimit = 20

    /// Refuses the document when it has problems.
    ///
    /// - Parameter locate: the line and column of a path in the file the document was read from;
    ///   without it (a document built from CSV rows or in code) issues name only the path.
    /// - Throws: `ImportError` `.invalidRows` with the first problems (and how many in all).
    public func check(
        file: String, locate: ([JSONPathComponent]) -> JSONSourceLocation? = { _ in nil }
    ) throws(ImportError) {
        let problems = problems()
        guard !problems.isEmpty else { return }
        let issues = problems.prefix(Self.problemLimit).map { problem in
            let location = locate(problem.path)
            var message = problem.message
            if let first = problem.firstPath {
                message += " (first at " + (locate(first).map { "line \($0.line), column \($0.column)" } ?? first.dottedPath) + ")"
            }
            return ImportError.Issue(
                file: file, line: location?.line, column: location?.column, field: problem.path.dottedPath, message: message)
        }
        throw ImportError(.invalidRows, issues: Array(issues), issueCount: problems.count)
    }
}

extension ImportDocument.UserEntry {
    /// The id the importer gives the user: `id`, else a slug of the email's local part.
    public var resolvedID: String {
        id ?? Slug.make(String(email.trimmingCharacters(in: .whitespaces).split(separator: "@", omittingEmptySubsequences: false)[0]))
    }
}

extension ImportDocument.ClientEntry {
    /// KAM's id for the client: a slug of `id`, else of `name`.
    public var resolvedID: String { id.map { Slug.make($0) } ?? Slug.make(name) }
}

extension ImportDocument.ActivityEntry {
    /// The external id stored for the activity: its `id`, else one derived from client, time, kind and text.
    public func externalID(clientID: String) -> String {
        id ?? "derived:" + Slug.stableHash([
            clientID, ImportDate.dateTime(occurredAt), kind.rawValue, subject ?? "", body ?? "",
        ])
    }
}

extension ImportDocument.OrderEntry {
    /// The external id stored for the order: its `id`, else one derived from client, product, date and amount.
    public func externalID(clientID: String) -> String {
        id ?? "derived:" + Slug.stableHash([clientID, product, ImportDate.dateTime(orderedAt), String(amount)])
    }
}

extension ImportDocument.MemoryEntry {
    /// The key the item is stored under: a slug of `key`, else of the value's first words.
    public var resolvedKey: String { Slug.make(key ?? Slug.memoryKey(from: value)) }
}
