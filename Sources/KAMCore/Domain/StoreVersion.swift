/// A point in a store's history of commits. Two equal versions of one store see exactly the same committed data, so
/// a value read at one is still true at the other: a cache keeps what it read with the version read just before, and
/// gives it back only while the store's version is equal.
///
/// - SQLite: the file's commit counter (`PRAGMA data_version` on a connection that only watches), `sequence` alone.
/// - PostgreSQL: the transaction snapshot (`pg_current_snapshot()`): `sequence` is its `xmax` (the first transaction id
///   not yet started), `inProgress` the ids below it still running. A transaction id below `xmax` and not in progress
///   has ended, so two equal snapshots make the same transactions visible; a commit anywhere changes the next
///   snapshot (its id leaves `inProgress`, or `xmax` passes it), and reads alone, which take no id, change nothing.
///
/// For example:
///
/// ```swift
/// let version = try store.dataVersion()      // before the read
/// let value = try read()
/// cache.store(value, for: key, version: version)
/// ```
public struct StoreVersion: Hashable, Sendable, CustomStringConvertible {
    /// Never smaller in a later version of the same store.
    public let sequence: Int64
    /// What two versions of one `sequence` must also share to be equal, ascending (PostgreSQL's transactions in
    /// progress); empty on SQLite.
    public let inProgress: [Int64]

    public init(sequence: Int64, inProgress: [Int64] = []) {
        self.sequence = sequence
        self.inProgress = inProgress.sorted()
    }

    /// Whether `self` comes before `other` in the store's history: a smaller sequence, or the same with more
    /// transactions still running (those of `other` among them). Two versions neither of which is older (the same
    /// sequence, transactions in progress that are not a subset one of the other) are not ordered.
    public func isOlder(than other: StoreVersion) -> Bool {
        if sequence != other.sequence { return sequence < other.sequence }
        guard inProgress.count > other.inProgress.count else { return false }
        return Set(other.inProgress).isSubset(of: inProgress)
    }

    /// PostgreSQL's text form of a snapshot, `xmin:xmax:xip,xip,…` (`pg_current_snapshot()::text`); nil for any other
    /// text. `xmin` is the smallest id in progress, or `xmax` when none is, so it adds nothing to the version.
    public init?(postgresSnapshot text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, Int64(parts[0]) != nil, let xmax = Int64(parts[1]) else { return nil }
        var ids: [Int64] = []
        if !parts[2].isEmpty {
            for part in parts[2].split(separator: ",", omittingEmptySubsequences: false) {
                guard let id = Int64(part) else { return nil }
                ids.append(id)
            }
        }
        self.init(sequence: xmax, inProgress: ids)
    }

    public var description: String {
        inProgress.isEmpty ? "\(sequence)" : "\(sequence) (\(inProgress.map(String.init).joined(separator: ",")) in progress)"
    }
}
