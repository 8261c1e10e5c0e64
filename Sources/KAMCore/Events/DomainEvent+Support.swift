import Foundation

extension DomainEvent {
    /// A ticket stored for the first time (imported or opened by email); `client_id` null while unlinked.
    public static func ticketCreated(_ ticket: SupportTicket, id: Int64, at: Date) -> DomainEvent {
        DomainEvent(
            .ticketCreated, clientID: ticket.clientID, subjectID: String(id),
            ["status": .string(ticket.status.rawValue), "priority": .string(ticket.priority.rawValue),
             "channel": .string(ticket.channel.rawValue), "created_at": time(ticket.createdAt)],
            at: at)
    }

    /// A ticket's status moved (a later import of the help desk's export).
    public static func ticketStatusChanged(_ ticket: SupportTicket, id: Int64, from: TicketStatus, at: Date) -> DomainEvent {
        DomainEvent(
            .ticketStatusChanged, clientID: ticket.clientID, subjectID: String(id),
            ["from": .string(from.rawValue), "to": .string(ticket.status.rawValue),
             "priority": .string(ticket.priority.rawValue)],
            at: at)
    }

    /// A ticket was analysed: sentiment, urgency, intent and topics (category names, never the ticket's text).
    public static func ticketAnalysed(_ ticket: SupportTicket, id: Int64, _ analysis: TicketAnalysis) -> DomainEvent {
        DomainEvent(
            .ticketAnalysed, clientID: ticket.clientID, subjectID: String(id),
            ["sentiment": .double(analysis.sentiment), "negative": .bool(analysis.isNegative),
             "urgency": .string(analysis.urgency.rawValue), "intent": .string(analysis.intent.rawValue),
             "topics": .array(analysis.topics.map(JSONValue.string)), "priority": .string(ticket.priority.rawValue),
             "status": .string(ticket.status.rawValue)],
            at: analysis.analysedAt)
    }
}
