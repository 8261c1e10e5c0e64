import KAMCore
import Testing

@Suite("StoreVersion")
struct StoreVersionTests {
    @Test("PostgreSQL's snapshot text: xmax is the sequence, the ids in progress the rest; anything else is refused")
    func snapshotText() {
        #expect(StoreVersion(postgresSnapshot: "748:748:") == StoreVersion(sequence: 748))
        let running = StoreVersion(postgresSnapshot: "740:750:745,740")
        #expect(running == StoreVersion(sequence: 750, inProgress: [740, 745]))
        let fewer = StoreVersion(sequence: 750, inProgress: [745])
        #expect(running.map { $0.isOlder(than: fewer) } == true)
        #expect(!fewer.isOlder(than: running!))
        // Neither older: the same xmax, in-progress sets that do not contain one another.
        let other = StoreVersion(sequence: 750, inProgress: [741])
        #expect(!other.isOlder(than: fewer) && !fewer.isOlder(than: other) && other != fewer)
        for text in ["", "1:2", "a:2:", "1:2:3:4", "1:2:x", "1:2:3,"] {
            #expect(StoreVersion(postgresSnapshot: text) == nil, "\(text)")
        }
    }
}
