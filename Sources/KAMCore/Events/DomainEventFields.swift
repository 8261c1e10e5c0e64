import Foundation

extension DomainEvent {
    /// A payload as its constructor made it. Nearly every kind keeps members; a `client.imported`, one a client of a CSV
    /// import, keeps its id, flag and counts as they are, and makes the dictionary only when asked (`payload`): built and
    /// then looked up again to write its text, that dictionary and the text were 8% of the writing thread for a file of
    /// one row a client (BENCHMARKS.md "CSV import"). Setting `payload` makes members of any payload.
    enum Fields: Sendable {
        case members([String: JSONValue])
        /// `DomainEvent.clientImported`'s payload; the counts in `DomainEvent.importedRecordKinds` order.
        case clientImported(importID: String, created: Bool, counts: ImportedRecordCounts)

        /// The payload's members, whichever way it is kept.
        var members: [String: JSONValue] {
            switch self {
            case .members(let members):
                return members
            case .clientImported(let importID, let created, let counts):
                var payload = [String: JSONValue](minimumCapacity: DomainEvent.importedRecordKinds.count + 2)
                payload["import_id"] = .string(importID)
                payload["created"] = .bool(created)
                for (kind, count) in zip(DomainEvent.importedRecordKinds, counts.inOrder) { payload[kind] = .int(count) }
                return payload
            }
        }
    }
}
