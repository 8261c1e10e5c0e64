/// A client whose people engaged with a campaign: who opened, clicked or replied, and the links they clicked.
public struct EngagedClient: Encodable, Sendable, Hashable {
    public var clientID: String
    public var clientName: String
    /// Recipients linked to the client (by a contact's email, else the client's email domain).
    public var recipients: Int
    public var opened: Int
    public var clicked: Int
    public var replied: Int
    /// Whether a contact with the decision-maker role clicked.
    public var decisionMakerClicked: Bool
    /// The links the client's recipients clicked, each once, sorted.
    public var clickedURLs: [String]

    public init(
        clientID: String, clientName: String, recipients: Int = 0, opened: Int = 0, clicked: Int = 0, replied: Int = 0,
        decisionMakerClicked: Bool = false, clickedURLs: [String] = []
    ) {
        self.clientID = clientID
        self.clientName = clientName
        self.recipients = recipients
        self.opened = opened
        self.clicked = clicked
        self.replied = replied
        self.decisionMakerClicked = decisionMakerClicked
        self.clickedURLs = clickedURLs
    }

    /// Whether anyone of the client opened, clicked or replied.
    public var isEngaged: Bool { opened + clicked + replied > 0 }

    /// Counts one of the client's recipients in (`decisionMaker`: the recipient is a contact with that role).
    public mutating func add(_ recipient: RecipientEngagement, decisionMaker: Bool) {
        recipients += 1
        if recipient.opened { opened += 1 }
        if recipient.clicked {
            clicked += 1
            if decisionMaker { decisionMakerClicked = true }
            clickedURLs = Array(Set(clickedURLs).union(recipient.clickedURLs)).sorted()
        }
        if recipient.didReply { replied += 1 }
    }

    /// Whether more of the client's people opened, clicked or replied than in `earlier` (a later import of the same
    /// campaign), or a decision maker clicked who had not.
    public func engagedMore(than earlier: EngagedClient) -> Bool {
        opened > earlier.opened || clicked > earlier.clicked || replied > earlier.replied
            || (decisionMakerClicked && !earlier.decisionMakerClicked)
    }
}
