import KAMCore
import Synchronization

/// Values read from the store, each kept with the store's data version it was read at (`StoreVersion`: SQLite's
/// `ClientStore.dataVersion()`, PostgreSQL's `PostgresStore.dataVersion()`) and given back only while the version is
/// the same: a commit by anyone, in this process or another, retires every
/// value at once. Bounded by a total cost (bytes, or 1 a value): past it, the least recently used quarter goes.
///
/// Read the version before the value, so a value is never older than the version it is kept with.
final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry {
        var value: Value
        var cost: Int
        var lastUse: UInt64
    }

    private struct State {
        var version: StoreVersion?
        var entries: [Key: Entry] = [:]
        var cost = 0
        var tick: UInt64 = 0
        var hits = 0
        var misses = 0
    }

    private let state = Mutex(State())
    /// The most the values may cost together.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value kept for `key` at `version`, when `usable` accepts it (e.g. its validity in time), else nil.
    func value(_ key: Key, version: StoreVersion, where usable: (Value) -> Bool = { _ in true }) -> Value? {
        state.withLock { state in
            guard state.version == version, var entry = state.entries[key], usable(entry.value) else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            state.tick += 1
            entry.lastUse = state.tick
            state.entries[key] = entry
            return entry.value
        }
    }

    /// Keeps `value` for `key`, read at `version`. Another version drops every value of the one before (a value is
    /// given back only at its own version); a value of a version older than the newest seen is not kept.
    func store(_ value: Value, for key: Key, version: StoreVersion, cost: Int) {
        guard cost <= capacity else { return }
        state.withLock { state in
            if let current = state.version, version.isOlder(than: current) { return }
            if state.version != version {
                state.entries.removeAll(keepingCapacity: true)
                state.cost = 0
                state.version = version
            }
            state.tick += 1
            if let old = state.entries.updateValue(Entry(value: value, cost: cost, lastUse: state.tick), forKey: key) {
                state.cost -= old.cost
            }
            state.cost += cost
            if state.cost > capacity {
                // The least recently used first, until three quarters of the capacity are left.
                for (key, entry) in state.entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) {
                    guard state.cost > capacity / 4 * 3 else { break }
                    state.entries[key] = nil
                    state.cost -= entry.cost
                }
            }
        }
    }

    /// Lookups answered and not answered since the cache was made.
    var counts: (hits: Int, misses: Int) {
        state.withLock { ($0.hits, $0.misses) }
    }
}
