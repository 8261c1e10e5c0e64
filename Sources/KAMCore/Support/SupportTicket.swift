import Foundation

/// A support ticket of a client (the business-assistant seed's support desk): imported from a help desk's
/// export or opened by an email to the support address, analysed for sentiment, urgency and topics, and
/// answered by a reply draft a person reviews. KAM never sends the reply.
public struct SupportTicket: Codable, Sendable, Hashable {
    public var id: Int64?
    /// The client it is linked to; nil when no client was found (see `link`).
    public var clientID: String?
    public var contactID: Int64?
    /// The help desk's id (`zendesk:4512`), which makes a second import update rather than duplicate.
    public var externalID: String?
    public var channel: TicketChannel
    /// The requester's email address, as the help desk or the email gave it.
    public var requester: String?
    /// The requester's organization, as the help desk named it.
    public var organization: String?
    public var subject: String
    /// The requester's description; written by someone outside the team (it reaches prompts fenced).
    public var body: String
    public var status: TicketStatus
    public var priority: TicketPriority
    public var tags: [String]
    public var createdAt: Date
    public var updatedAt: Date
    /// How the client was found (`contact email`, `organization name`, `email domain`), nil when unlinked.
    public var link: String?
    public var analysis: TicketAnalysis?
    /// The pending reply draft written for it, when one was asked for.
    public var replyDraftID: String?

    public init(
        id: Int64? = nil, clientID: String?, contactID: Int64? = nil, externalID: String? = nil,
        channel: TicketChannel = .import, requester: String? = nil, organization: String? = nil, subject: String,
        body: String, status: TicketStatus = .open, priority: TicketPriority = .normal, tags: [String] = [],
        createdAt: Date, updatedAt: Date? = nil, link: String? = nil, analysis: TicketAnalysis? = nil,
        replyDraftID: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.contactID = contactID
        self.externalID = externalID
        self.channel = channel
        self.requester = requester
        self.organization = organization
        self.subject = subject
        self.body = body
        self.status = status
        self.priority = priority
        self.tags = tags
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.link = link
        self.analysis = analysis
        self.replyDraftID = replyDraftID
    }

    /// Whether the ticket still waits on the team or the requester.
    public var isOpen: Bool { status.isOpen }
}
