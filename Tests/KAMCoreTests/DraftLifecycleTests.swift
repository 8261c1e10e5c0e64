import Foundation
import KAMCore
import Testing

@Suite struct DraftLifecycleTests {
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    func makeDraft() -> Draft {
        Draft(
            id: "d-1", clientID: "acme", kind: .followUp, hint: nil, promptID: "draft.follow-up-email",
            promptVersion: "1", promptHash: "abc", provider: "offline", model: "offline", isOffline: true,
            original: DraftContent(subject: "Hello", body: "Hi Ana, thanks for the call.", callToAction: "Shall we meet?"),
            promptMessages: "[]", contextSnapshot: "", usage: .zero, cost: .zero, createdBy: "u1", createdAt: t0)
    }

    @Test func approveUneditedKeepsOriginal() throws {
        var d = makeDraft()
        try d.approve(by: "u1", at: t0)
        #expect(d.status == .approved)
        #expect(d.editDistance == 0)
        #expect(d.edited == nil)
        #expect(d.final == d.original)
    }

    @Test func approvedEditKeepsBothTextsAndDistance() throws {
        var d = makeDraft()
        let edit = DraftContent(subject: "Hello", body: "Hi Ana, thanks for the great call.", callToAction: "Shall we meet?")
        try d.approve(edit: edit, by: "u1", at: t0)
        #expect(d.status == .editedAndApproved)
        #expect(d.original.body == "Hi Ana, thanks for the call.")
        #expect(d.final.body == edit.body)
        #expect(d.editDistance == 6)
    }

    @Test func savedEditCountsAtApproval() throws {
        var d = makeDraft()
        try d.saveEdit(DraftContent(subject: "Hi", body: "New body", callToAction: ""), at: t0)
        #expect(d.status == .pending)
        try d.approve(by: "u1", at: t0)
        #expect(d.status == .editedAndApproved)
        #expect((d.editDistance ?? 0) > 0)
    }

    @Test func illegalTransitionsNameTheCurrentState() throws {
        var d = makeDraft()
        try d.reject(reason: "tone", by: "u1", at: t0)
        let error = #expect(throws: DraftTransitionError.self) { try d.approve(by: "u1", at: t0) }
        #expect(error?.current == .rejected)
        #expect(error?.description.contains("is rejected") == true)
        var pending = makeDraft()
        #expect(throws: DraftTransitionError.self) { try pending.markSent(at: t0) }
        try pending.approve(by: nil, at: t0)
        try pending.markSent(at: t0)
        #expect(pending.status == .sent)
        #expect(throws: DraftTransitionError.self) { try pending.markSent(at: t0) }
    }

    @Test func levenshtein() {
        #expect(EditDistance.levenshtein("kitten", "sitting") == 3)
        #expect(EditDistance.levenshtein("", "abc") == 3)
        #expect(EditDistance.levenshtein("same", "same") == 0)
        #expect(EditDistance.normalized("abcd", "abcx") == 0.25)
    }
}
