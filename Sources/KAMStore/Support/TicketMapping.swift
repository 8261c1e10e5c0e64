import Foundation

/// Which column of a help desk's CSV export feeds which field of a ticket (target field ← column).
///
/// A mapping file (YAML or JSON) looks like the client import's:
///
///     name: freshdesk        # prefix of the external ids (`freshdesk:4512`)
///     fields:
///       ticket.external_id: Ticket ID
///       ticket.subject: Subject
///       ticket.requester_email: Contact email
///
/// `zendesk` is built in (the columns of Zendesk's ticket export). JSON files are read as the help
/// desk's API export (`{"tickets": [...]}`), with no mapping.
public struct TicketMapping: Sendable, Equatable {
    public var name: String
    public var fields: [String: String]

    public init(name: String, fields: [String: String]) {
        self.name = name
        self.fields = fields
    }

    /// Fields a mapping may fill.
    public static let targets: [String] = [
        "ticket.external_id", "ticket.subject", "ticket.description", "ticket.status", "ticket.priority",
        "ticket.requester_email", "ticket.organization", "ticket.client", "ticket.tags", "ticket.created_at",
        "ticket.updated_at",
    ]

    /// Zendesk's ticket export columns.
    public static let zendesk = TicketMapping(
        name: "zendesk",
        fields: [
            "ticket.external_id": "Id", "ticket.subject": "Subject", "ticket.description": "Description",
            "ticket.status": "Status", "ticket.priority": "Priority", "ticket.requester_email": "Requester email",
            "ticket.organization": "Organization", "ticket.tags": "Tags", "ticket.created_at": "Created at",
            "ticket.updated_at": "Updated at",
        ])

    public static let builtIn: [String: TicketMapping] = ["zendesk": zendesk]

    /// A built-in mapping by name, or the mapping file at that path.
    public static func resolve(_ nameOrPath: String) throws -> TicketMapping {
        if let builtIn = builtIn[nameOrPath] { return builtIn }
        let (name, fields) = try CSVMapping.readFields(
            contentsOf: nameOrPath, builtIn: builtIn.keys.sorted(), expected: "ticket field to CSV column")
        let mapping = TicketMapping(name: name, fields: fields)
        try mapping.validate(file: (nameOrPath as NSString).lastPathComponent)
        return mapping
    }

    /// Checks that every target is known and the ones a ticket needs are mapped.
    public func validate(file: String) throws {
        let known = Set(Self.targets)
        var issues = fields.keys.filter { !known.contains($0) }.sorted().map {
            ImportError.Issue(
                file: file, field: "fields.\($0)", message: "unknown target field; use one of \(Self.targets.joined(separator: ", "))")
        }
        for required in ["ticket.external_id", "ticket.subject", "ticket.created_at"] where fields[required] == nil {
            issues.append(.init(file: file, field: "fields.\(required)", message: "a ticket mapping must fill \(required)"))
        }
        if !issues.isEmpty { throw ImportError(.invalidMapping, issues: issues) }
    }
}
