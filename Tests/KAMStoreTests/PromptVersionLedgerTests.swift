import Foundation
import KAMCore
import KAMStore
import Testing

@Suite("Prompt version ledger (SQLite)")
struct PromptVersionLedgerTests {
    @Test("the first use records the hash; later uses get the first hash back")
    func firstUseWins() throws {
        let store = try ClientStore.inMemory()
        let ledger = SQLitePromptVersionLedger(writer: store.writer, now: { Date(timeIntervalSince1970: 1_700_000_000) })
        #expect(try ledger.recordedHash(promptID: "draft.check-in", version: "1") == nil)
        #expect(try ledger.recordFirstUse(promptID: "draft.check-in", version: "1", contentHash: "aaa") == "aaa")
        #expect(try ledger.recordFirstUse(promptID: "draft.check-in", version: "1", contentHash: "bbb") == "aaa")
        #expect(try ledger.recordedHash(promptID: "draft.check-in", version: "1") == "aaa")
        #expect(try ledger.recordedHash(promptID: "draft.check-in", version: "2") == nil)
        let all = try ledger.all()
        #expect(all.count == 1)
        #expect(all.first?.firstUsedAt == Date(timeIntervalSince1970: 1_700_000_000))
    }
}
