import KAMCore
import Synchronization

/// The store's version read once for a piece of work that only reads: a server's `GET`, which asks for the version
/// once to check its API key (`APIKeyService.authenticate`) and again to answer from the kept contexts
/// (`Runtime.contextJSON`). Inside `StoreVersionMemo.$current.withValue(StoreVersionMemo()) { … }`,
/// `RuntimeDatabase.dataVersion()` reads the store the first time and gives that version back after.
///
/// On PostgreSQL each read of the version is a round trip to the server (`PostgresStore.dataVersion()`), half of what
/// a `GET` of a kept context costs. Reusing it is safe for work that writes nothing: a value read after the version
/// is never older than it (what the caches require), and a kept value valid at the version read when the request
/// began was true during the request. Work that writes must not run inside: its own commit would not change the
/// version it reads.
///
/// For example (`ReadOnlyRequestMiddleware` in KAMServer):
///
/// ```swift
/// try await StoreVersionMemo.$current.withValue(StoreVersionMemo()) { try await next(request, context) }
/// ```
public final class StoreVersionMemo: Sendable {
    /// The memo of the running task's piece of work; nil outside one, where every read goes to the store.
    @TaskLocal public static var current: StoreVersionMemo?

    /// The version once read, as `.some(nil)` when the store has none.
    private let version = Mutex<StoreVersion??>(nil)

    public init() {}

    /// The version read the first time, by `read`; the same after.
    func value(_ read: () throws -> StoreVersion?) rethrows -> StoreVersion? {
        if let known = version.withLock({ $0 }) { return known }
        let read = try read()
        version.withLock { $0 = .some(read) }
        return read
    }
}
