import GRDB
import KAMCore

/// Everyone the store knows, read in one transaction: the dictionary for anonymization and the
/// needles of the leak audit.
enum ExportDirectory {
    static func clients(_ db: Database) throws -> [Client] {
        try Row.fetchAll(db, sql: "SELECT \(ClientRecords.clientColumns) FROM clients ORDER BY id").map(ClientRecords.client)
    }

    static func contacts(_ db: Database) throws -> [Contact] {
        try Row.fetchAll(db, sql: "SELECT \(ClientRecords.contactColumns) FROM contacts ORDER BY client_id, id").map(ClientRecords.contact)
    }

    static func users(_ db: Database) throws -> [User] {
        try Row.fetchAll(db, sql: "SELECT \(ClientRecords.userColumns) FROM users ORDER BY id").map(ClientRecords.user)
    }
}
