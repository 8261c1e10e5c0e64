import KAMCore
import KAMStore

extension Runtime {
    /// Where the drafts are kept, as the core's `DraftStoring`: the services reach them only through it, so keeping
    /// them on PostgreSQL (`PostgresDraftStore`) is this one line.
    var draftStore: any DraftStoring { DraftRepository(store: store) }
}
