import KAMCore

/// The client records' writes and reads on SQLite (`ClientStore+ClientEdits`, `+Contacts`, `+Deals`, `+Tasks`,
/// `+Writing`): the core's `ClientRecordStoring`, which `PostgresClientRecordStore` also is.
///
/// Concurrency: every write is one `BEGIN IMMEDIATE` transaction, so SQLite's single writer orders two processes'
/// writes, and each reads what it checks (a taken email, a deal's stage, a memory key) after the other committed.
extension ClientStore: ClientRecordStoring {}
