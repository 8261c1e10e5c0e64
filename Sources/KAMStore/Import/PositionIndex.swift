/// A hash index over the positions of an array its owner keeps: 4 bytes a slot, at most half the
/// slots used, where a `[Key: Int]` held each key a second time next to its position.
///
/// A CSV import's first pass indexes every client of the file (by key and by id) and every contact
/// id: with one client a row, three dictionaries were ~60 bytes a row each and the largest part of
/// the import's peak memory (BENCHMARKS.md, "CSV import"). The owner hashes its keys and tells, by
/// position, whether an element is the one looked for, so the keys stay only in its array.
///
/// For example:
///
///     var names = ["alpha", "bravo"]
///     var index = PositionIndex()
///     for position in names.indices { index.insert(position, hash: names[position].hashValue) { names[$0].hashValue } }
///     index.first(hash: "bravo".hashValue) { names[$0] == "bravo" }  // 1
struct PositionIndex {
    /// Position + 1 in each slot, 0 for an empty slot; the count of slots is a power of two.
    private var slots: [UInt32] = []
    private(set) var count = 0

    /// A stored position under `hash` for which `matches` holds (the owner's keys are unique).
    func first(hash: Int, where matches: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if matches(position) { return position }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// Stores `position` under `hash`; `hashOf` gives the hash of a position stored before (to grow).
    ///
    /// - Precondition: `position` < `UInt32.max`.
    mutating func insert(_ position: Int, hash: Int, hashOf: (Int) -> Int) {
        precondition(position >= 0 && position < Int(UInt32.max), "PositionIndex holds positions below 2^32 - 1")
        if (count + 1) * 2 > slots.count {
            let stored = slots
            slots = Array(repeating: 0, count: Swift.max(16, stored.count * 2))
            for value in stored where value != 0 { place(value, hash: hashOf(Int(value) - 1)) }
        }
        place(UInt32(position + 1), hash: hash)
        count += 1
    }

    private mutating func place(_ value: UInt32, hash: Int) {
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = value
    }
}
