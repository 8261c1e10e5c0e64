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
}
