import KAMCore
import KAMStore

extension Runtime {
    /// Where a client import (a JSON document, a CSV file, a connector's export) writes: the store's file
    /// (`ClientStore`; `PostgresImportTarget(store:)` is the same on PostgreSQL, one transaction a file under an advisory
    /// lock). `ImportService` reaches the store only through it.
    var importTarget: any ImportTarget { store }
}
