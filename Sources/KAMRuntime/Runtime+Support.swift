import KAMCore
import KAMStore

extension Runtime {
    /// Support tickets: import a help desk's export, analyse, reply drafts, insights.
    public var support: SupportService { SupportService(runtime: self) }

    /// Where the support tickets are kept, as the core's `SupportTicketStoring` (`SupportTicketRepository`;
    /// `PostgresSupportTicketStore` is the same on PostgreSQL): the services reach them only through it.
    var supportTickets: any SupportTicketStoring { SupportTicketRepository(writer: store.writer) }
}
