import Foundation

/// Everything the context assembler may use about one client, read at one moment.
public struct ClientSnapshot: Codable, Sendable, Hashable {
    public var client: Client
    public var owner: User?
    public var contacts: [Contact]
    public var memory: [MemoryItem]
    /// Activities since the snapshot's window start, newest first.
    public var activities: [Activity]
    public var openDeals: [Deal]
    /// Open and in-progress tasks, overdue ones included.
    public var pendingTasks: [ClientTask]
    /// Orders, newest first.
    public var orders: [Order]
    /// The most recent activity of any age, even outside the window.
    public var lastInteractionAt: Date?
    /// Support tickets opened in the last 90 days and any still open, newest first.
    public var tickets: [SupportTicket]
    /// What the analysis prompt found of objections and competitors in the window's ingested emails
    /// (`InboundEmailAnalysis.findings`), by the id of the email's activity; emails without any are left out.
    public var modelFindings: [Int64: [ObjectionDetector.Finding]]
    /// The client's people who opened, clicked or replied to a campaign sent since the window's start, newest first.
    public var campaignTouches: [CampaignTouch]

    public init(
        client: Client, owner: User? = nil, contacts: [Contact] = [], memory: [MemoryItem] = [],
        activities: [Activity] = [], openDeals: [Deal] = [], pendingTasks: [ClientTask] = [], orders: [Order] = [],
        lastInteractionAt: Date? = nil, tickets: [SupportTicket] = [], modelFindings: [Int64: [ObjectionDetector.Finding]] = [:],
        campaignTouches: [CampaignTouch] = []
    ) {
        self.client = client
        self.owner = owner
        self.contacts = contacts
        self.memory = memory
        self.activities = activities
        self.openDeals = openDeals
        self.pendingTasks = pendingTasks
        self.orders = orders
        self.lastInteractionAt = lastInteractionAt
        self.tickets = tickets
        self.modelFindings = modelFindings
        self.campaignTouches = campaignTouches
    }
}
