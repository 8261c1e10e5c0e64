import Foundation
import KAMCore

/// Which CSV column feeds which field of KAM's client memory (target field ← CSV column).
///
/// A mapping file (YAML or JSON) looks like
///
///     name: mycrm            # prefix of the external ids; defaults to the file's base name
///     fields:
///       client.name: Company
///       contact.email: Email
///       activity.occurred_at: Date
///
/// Every row yields (or updates) one client, found by `client.id`, else `client.name`, else the
/// domain of `contact.email` (`taylor@nanolabs.com` → client "Nanolabs"), so several rows can share
/// a client. `targets` lists every field a mapping may fill; `docs/import-format.md` explains them.
public struct CSVMapping: Sendable, Equatable, Codable {
    /// Prefix of the external ids the rows get (`workbench:00000189`) and the memory source.
    public var name: String
    /// Target field → CSV column.
    public var fields: [String: String]

    public init(name: String, fields: [String: String]) {
        self.name = name
        self.fields = fields
    }

    /// Fields a mapping may fill, besides `memory.<key>` (a fact) and `preference.<key>`.
    public static let targets: [String] = [
        "client.id", "client.name", "client.external_id", "client.industry", "client.tier", "client.domain",
        "client.owner", "client.lead_status", "client.lifecycle", "client.monthly_budget", "client.currency",
        "client.last_contact_date", "client.renewal_date",
        "owner.email", "owner.name", "owner.team",
        "contact.external_id", "contact.name", "contact.email", "contact.phone", "contact.title", "contact.role",
        "activity.external_id", "activity.occurred_at", "activity.kind", "activity.direction", "activity.subject",
        "activity.body",
        "activities.dated_notes",
        "task.title", "task.due", "task.priority",
    ]

    /// The built-in mapping for the workbench CRM export (`customer_id,assigned_to_email,...,notes`).
    public static let workbench = CSVMapping(
        name: "workbench",
        fields: [
            "contact.external_id": "customer_id",
            "owner.email": "assigned_to_email",
            "contact.name": "customer_name",
            "contact.email": "customer_email",
            "contact.phone": "customer_phone",
            "client.last_contact_date": "last_contact_date",
            "memory.product-interest": "product_interest",
            "client.lead_status": "status",
            "task.due": "follow_up_by",
            "activities.dated_notes": "notes",
        ])

    /// Built-in mappings by name.
    public static let builtIn: [String: CSVMapping] = ["workbench": workbench]

    /// A built-in mapping by name, or the mapping file at that path.
    public static func resolve(_ nameOrPath: String) throws -> CSVMapping {
        if let builtIn = builtIn[nameOrPath] { return builtIn }
        return try load(contentsOf: nameOrPath)
    }

    /// Reads a mapping file: JSON when it ends in `.json`, YAML otherwise.
    public static func load(contentsOf path: String) throws -> CSVMapping {
        let (name, fields) = try readFields(
            contentsOf: path, builtIn: builtIn.keys.sorted(), expected: "target field to CSV column")
        let mapping = CSVMapping(name: name, fields: fields)
        try mapping.validate(file: (path as NSString).lastPathComponent)
        return mapping
    }

    /// The `name:` and `fields:` of a mapping file (JSON when it ends in `.json`, YAML otherwise, read with
    /// the YAML limits), for the client import's mappings and the ticket import's alike.
    static func readFields(
        contentsOf path: String, builtIn: [String], expected: String
    ) throws -> (name: String, fields: [String: String]) {
        let file = (path as NSString).lastPathComponent
        func invalid(_ message: String, _ underlying: (any Error)? = nil) -> ImportError {
            ImportError(.invalidMapping, issues: [.init(file: file, message: message)], underlying: underlying)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(
                .unreadable,
                issues: [.init(file: path, message: "cannot read the mapping file (built-in mappings: \(builtIn.joined(separator: ", ")))")])
        }
        let object: Any?
        do {
            if path.lowercased().hasSuffix(".json") {
                object = try JSONParser().parse(bytes: [UInt8](data)).foundationValue
            } else {
                object = try YAMLReader.load(String(decoding: data, as: UTF8.self), file: file)
            }
        } catch let error as JSONParseError {
            throw ImportError(
                .invalidMapping, issues: [.init(file: file, line: error.line, column: error.column, message: error.message)],
                underlying: error)
        } catch let error as ConfigurationError {
            // A syntax error or a YAML limit (an alias bomb, say), with its line.
            throw ImportError(
                .invalidMapping, issues: error.issues.map { .init(file: file, line: $0.line, column: $0.column, message: $0.message) },
                underlying: error)
        } catch {
            throw invalid("not valid \(path.lowercased().hasSuffix(".json") ? "JSON" : "YAML"): \(error)", error)
        }
        guard let root = object as? [String: Any], let fields = root["fields"] as? [String: Any] else {
            throw invalid("expected a `fields:` map of \(expected) (see docs/import-format.md)")
        }
        var read: [String: String] = [:]
        for (target, column) in fields {
            guard let column = column as? String, !column.isEmpty else {
                throw invalid("fields.\(target): the CSV column must be a non-empty string")
            }
            read[target] = column
        }
        return ((root["name"] as? String) ?? ((file as NSString).deletingPathExtension), read)
    }

    /// Checks that every target is known.
    public func validate(file: String) throws {
        let known = Set(Self.targets)
        let unknown = fields.keys.filter { target in
            !known.contains(target)
                && !((target.hasPrefix("memory.") || target.hasPrefix("preference.")) && target.split(separator: ".").count == 2)
        }.sorted()
        if !unknown.isEmpty {
            throw ImportError(
                .invalidMapping,
                issues: unknown.map {
                    .init(
                        file: file, field: "fields.\($0)",
                        message: "unknown target field; use one of \(Self.targets.joined(separator: ", ")), memory.<key> or preference.<key>")
                })
        }
        let identifying = ["client.id", "client.name", "contact.email"]
        if !identifying.contains(where: { fields[$0] != nil }) {
            throw ImportError(
                .invalidMapping,
                issues: [
                    .init(file: file, message: "the mapping must fill client.id, client.name or contact.email to know each row's client")
                ])
        }
    }
}
