import Testing

@testable import KAMStore

/// The CSV import's first pass finds clients and contact ids through `PositionIndex`: every stored
/// position is found again by its key, a missing key is never found, whatever the hashes collide on
/// and however often the table grew.
@Suite("Position index of the CSV import's plan")
struct PositionIndexTests {
    /// Indexes `keys` by position with `hash`, then looks every key and some absent ones up.
    static func check(_ keys: [String], hash: (String) -> Int) {
        var index = PositionIndex()
        for position in keys.indices {
            #expect(index.first(hash: hash(keys[position])) { keys[$0] == keys[position] } == nil)
            index.insert(position, hash: hash(keys[position])) { hash(keys[$0]) }
        }
        #expect(index.count == keys.count)
        for position in keys.indices {
            #expect(index.first(hash: hash(keys[position])) { keys[$0] == keys[position] } == position)
        }
        for absent in ["", "absent", "\(keys.count)x"] where !keys.contains(absent) {
            #expect(index.first(hash: hash(absent)) { keys[$0] == absent } == nil)
        }
    }

    @Test("every key found at its position, through every growth", arguments: [0, 1, 7, 8, 9, 15, 16, 17, 1_000, 5_003])
    func found(count: Int) {
        Self.check((0..<count).map { "key-\($0)" }) { $0.hashValue }
    }

    @Test("keys whose hashes collide, all or in a few buckets, and negative hashes", arguments: [1, 3, 64, 977])
    func collisions(buckets: Int) {
        let keys = (0..<600).map { "company\($0).com" }
        Self.check(keys) { key in -(abs(key.hashValue) % buckets) - 1 }
        Self.check(keys) { _ in buckets }
    }

    @Test("an empty index finds nothing")
    func empty() {
        #expect(PositionIndex().first(hash: 0) { _ in true } == nil)
        #expect(PositionIndex().count == 0)
    }
}
