/// Where `DraftWorkflow` stores the drafts it writes; `KAMStore.DraftRepository` implements it.
public protocol DraftStoring: Sendable {
    /// Stores a new draft (pending) with its first history event.
    func insert(_ draft: Draft) throws
}
