import KAMCore
import KAMStore

extension Runtime {
    /// Clients by hand: add, update (with a renewal date, a lead status kept as a transition).
    public var clients: ClientService { ClientService(runtime: self) }

    /// A client's people: list, add, update, remove.
    public var contacts: ContactService { ContactService(runtime: self) }

    /// Logging calls, meetings, notes and emails.
    public var activities: ActivityService { ActivityService(runtime: self) }

    /// Tasks: add, done, reopen, list.
    public var tasks: TaskService { TaskService(runtime: self) }

    /// Deals: add, move (won, lost), list, each move kept with who and when.
    public var deals: DealService { DealService(runtime: self) }

    /// Email campaigns: import their reports, counts, engaged clients, trends.
    public var campaigns: CampaignService { CampaignService(runtime: self) }

    /// Where the imported campaigns are kept, as the core's `CampaignStoring` (`CampaignRepository`;
    /// `PostgresCampaignStore` is the same on PostgreSQL): the campaign service reaches them only through it.
    var campaignStore: any CampaignStoring { CampaignRepository(store: store) }

    /// The client records the CRM services write and read one at a time (clients, contacts, deals, tasks, memory), in
    /// the store's database (`ClientStore`; `PostgresClientRecordStore` is the same on PostgreSQL).
    var clientRecords: any ClientRecordStoring { store }
}
