import Foundation
import KAMCore

/// The values of one CSV record read through a mapping, every one parsed and checked.
///
/// Which client the row belongs to is its `client` key; ids that depend on the client (derived
/// activity ids) are made later, by `CSVRowEntries`, once the client's id is known.
struct CSVRow {
    /// Whose row this is: a client named by the file (`client.id` or `client.name`), or the company
    /// behind the contact's email domain.
    enum ClientKey: Hashable {
        /// A slug of `client.id`, else of `client.name`.
        case named(String)
        /// A registrable domain (`alpha.co.uk`) or a bare company name (`nanolabs`).
        case domain(String)

        var isDomain: Bool {
            if case .domain = self { return true }
            return false
        }
    }

    var line: Int
    var client: ClientKey
    /// `client.name`, else `client.id`, for a named client.
    var clientName: String?
    /// The company domain this row shows: `client.domain`, else the contact's email (registrable,
    /// nil for a free-mail address).
    var companyDomain: String?
    var externalID: String?
    var industry: String?
    var tier: SubscriptionTier?
    var monthlyBudget: Double?
    var currency: String?
    /// `client.owner`, or the id of `owner`.
    var ownerID: String?
    var owner: ImportDocument.UserEntry?
    var leadStatus: LeadStatus?
    var lifecycle: LifecycleStatus?
    var lastContact: Date?
    var renewalDate: Date?

    var contactExternalID: String?
    var contactName: String?
    var email: String?
    var phone: String?
    var title: String?
    var role: ContactRole?

    var activity: Activity?
    var notes: [(date: Date, text: String)] = []
    var taskTitle: String?
    var taskDue: Date?
    var taskPriority: TaskPriority?
    /// `memory.KEY` and `preference.KEY` cells, in the mapping's key order.
    var memory: [(key: String, kind: MemoryKind, value: String)] = []

    struct Activity {
        var externalID: String?
        var occurredAt: Date
        var kind: ActivityKind?
        var direction: ActivityDirection?
        var subject: String?
        var body: String?
    }

    /// What the row's records are called, made on the second pass's reading thread.
    var ids: CSVImportWriter.RowIDs?

    var hasTask: Bool { taskDue != nil || taskTitle != nil }
}
