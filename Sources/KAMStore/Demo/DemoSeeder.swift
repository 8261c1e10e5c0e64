import Foundation
import KAMCore

/// Fills a store with demo accounts (the data is `DemoData`) so `kam demo` runs on a
/// fresh machine.
///
/// Seeding goes through the importer: one transaction, external ids on every record, so running
/// it twice updates the same rows and duplicates nothing.
public enum DemoSeeder {
    /// The source name recorded on demo memory items and in external ids (`demo:acme:...`).
    public static let source = "demo"

    /// Writes `document` into `store`.
    ///
    /// - Returns: what was created and updated; a second run reports only updates.
    @discardableResult
    public static func seed(_ document: ImportDocument, into store: ClientStore) throws -> ImportSummary {
        try ClientImporter(target: store).importDocument(document, file: source)
    }

    /// Whether the store already holds the demo accounts (every client of `document` by id).
    public static func isSeeded(_ document: ImportDocument, in store: ClientStore) throws -> Bool {
        try document.clients.allSatisfy { entry in
            try store.client(id: entry.id ?? Slug.make(entry.name)) != nil
        }
    }
}
