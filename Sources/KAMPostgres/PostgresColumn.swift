/// Reading the values of KAM's own vocabularies back from PostgreSQL columns.
enum PostgresColumn {
    /// The enumeration value `raw` of `table.column`, or `postgres.invalid-value` naming the row's column when this KAM
    /// does not know it (a newer KAM wrote it).
    static func enumValue<E: RawRepresentable>(_ raw: String, _ column: String, table: String) throws -> E
    where E.RawValue == String {
        guard let value = E(rawValue: raw) else {
            throw PostgresStoreError(
                .invalidValue, "\(table).\(column) holds '\(raw)', which this kam does not know; upgrade kam or fix the row")
        }
        return value
    }
}
