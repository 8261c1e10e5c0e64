/// One foreign key of the current schema: the table that holds it, the table it references, and its columns paired
/// in key order. Read by `kam db copy` (the tables' parents), `kam db check` (the orphans of each key) and a client's
/// erasure (the rows under the client's rows), all from one query of the catalog.
struct PostgresForeignKey {
    var name: String
    var table: String
    var parent: String
    var columns: [(child: String, parent: String)]

    /// Every foreign key of the current schema, by table then name.
    static func all(_ session: PostgresSession, doing: String) throws -> [PostgresForeignKey] {
        var keys: [PostgresForeignKey] = []
        for row in try session.query(
            """
            SELECT c.conname::text, child.relname::text, parent.relname::text, ca.attname::text, pa.attname::text
            FROM pg_constraint c
            JOIN pg_class child ON child.oid = c.conrelid
            JOIN pg_class parent ON parent.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (child_column, parent_column, position)
            JOIN pg_attribute ca ON ca.attrelid = c.conrelid AND ca.attnum = k.child_column
            JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.parent_column
            WHERE c.contype = 'f' AND n.nspname = current_schema()
            ORDER BY child.relname, c.conname, k.position
            """, doing: doing
        ).rows {
            let (name, table, parent, childColumn, parentColumn) = try row.decode((String, String, String, String, String).self)
            if keys.last?.name == name && keys.last?.table == table {
                keys[keys.count - 1].columns.append((childColumn, parentColumn))
            } else {
                keys.append(PostgresForeignKey(name: name, table: table, parent: parent, columns: [(childColumn, parentColumn)]))
            }
        }
        return keys
    }
}
