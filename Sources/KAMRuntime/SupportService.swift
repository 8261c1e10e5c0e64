import Foundation
import KAMCore
import KAMStore

/// Support tickets (issue #13, the business-assistant seed's support desk): import a help desk's export,
/// link each ticket to its client, read its sentiment, urgency and topics, write a reply draft a person reviews,
/// and sum a client's support up (volume, sentiment trend, top topics), which the health score's support
/// factor reads too. Nothing is ever sent.
///
/// For example:
/// ```swift
/// let outcome = try runtime.support.importFile("tickets.csv", mapping: "zendesk", as: .anonymous)
/// let read = try await runtime.support.analyse(limit: 100, as: .anonymous)
/// let draft = try await runtime.support.reply(to: 12, hint: nil, as: ActingUser("maria"))
/// ```
public struct SupportService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: any SupportTicketStoring { runtime.supportTickets }

    /// Whether `mapping` names a help desk's built-in ticket mapping (`zendesk`): `kam import --map zendesk` imports
    /// tickets, not clients.
    public static func isTicketMapping(_ mapping: String) -> Bool { TicketMapping.builtIn[mapping.lowercased()] != nil }

    /// Imports a help desk's export: JSON when the path ends in `.json`, CSV through `mapping` (a built-in
    /// name such as `zendesk`, or a mapping file) otherwise. All of it, or nothing when any row is refused.
    /// - Throws: `ImportError` naming the file, line or ticket and the field; `StoreError`.
    public func importFile(
        _ path: String, mapping: String = "zendesk", encoding: ImportEncoding = .utf8, as user: ActingUser
    ) throws -> TicketImportOutcome {
        let file = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(.unreadable, issues: [.init(file: path, message: "cannot read the file; check the path")])
        }
        let bytes = try encoding.utf8Bytes(data, file: file)
        let json = path.lowercased().hasSuffix(".json")
        let tickets = try TicketFile.read(bytes, file: file, json: json, mapping: json ? .zendesk : TicketMapping.resolve(mapping))
        let outcome = try repository.importTickets(tickets, domains: try CompanyDomains.bundled(), at: runtime.now())
        return outcome
    }

    /// Tickets `user` may see, newest first (unlinked ones only for an admin or a local run).
    public func list(_ filter: TicketFilter = .init(), limit: Int = 100, as user: ActingUser) throws
        -> [SupportTicket]
    {
        var filter = filter
        if let client = filter.clientID { try runtime.requireClient(client, as: user) }
        filter.ownerIDs = try runtime.scope(for: user).userIDs
        return try repository.list(filter, limit: limit)
    }

    /// The ticket with `id` when `user` may see it.
    /// - Throws: `RuntimeError` `.notFound` `ticket.not-found`, the same for a missing and an out-of-scope ticket.
    public func ticket(_ id: Int64, as user: ActingUser) throws -> SupportTicket {
        let notFound = RuntimeError(.notFound, code: "ticket.not-found", "no support ticket has id \(id); see `kam tickets list`")
        guard let ticket = try repository.ticket(id: id) else { throw notFound }
        let scope = try runtime.scope(for: user)
        if scope.isEverything { return ticket }
        guard let clientID = ticket.clientID, let client = try runtime.clientMemory.client(id: clientID),
            scope.coversClient(ownerID: client.ownerID)
        else { throw notFound }
        return ticket
    }

    /// What `analyse` did with one ticket.
    public struct AnalysisResult: Codable, Sendable {
        public var ticketID: Int64
        public var analysis: TicketAnalysis?
        /// Why the ticket was not analysed (no client, no consent, the model's error).
        public var note: String?
    }

    /// Reads the sentiment, urgency and intent of tickets (`analysis.inbound-email` on the subject and description,
    /// fenced as untrusted, with the client's context) and their topics (`TicketTopics`), then refreshes each
    /// touched client's health. `ids` empty takes up to `limit` unanalysed tickets of the clients `user` may see.
    /// A ticket without a client or whose client did not consent to AI analysis is skipped with the reason.
    public func analyse(_ ids: [Int64] = [], limit: Int = 100, as user: ActingUser) async throws -> [AnalysisResult] {
        let tickets = try ids.isEmpty
            ? list(.init(unanalysedOnly: true), limit: limit, as: user).filter { $0.clientID != nil }
            : ids.map { try ticket($0, as: user) }
        let step = try runtime.email.step("analysis.inbound-email")
        let intake = try runtime.email.intake(analyse: false, as: user)
        var results: [AnalysisResult] = []
        var touched: [String] = []
        for ticket in tickets {
            guard let id = ticket.id else { continue }
            guard let clientID = ticket.clientID, let client = try runtime.clientMemory.client(id: clientID) else {
                results.append(AnalysisResult(ticketID: id, note: "not analysed: no client linked"))
                continue
            }
            guard client.consentAIAnalysis else {
                results.append(AnalysisResult(ticketID: id, note: "not analysed: \(client.name) has not consented to AI analysis"))
                continue
            }
            let message = EmailMessage(
                messageID: "ticket-\(id)", from: ticket.requester.map { EmailAddress(address: $0) }, subject: ticket.subject,
                date: ticket.createdAt, text: ticket.body)
            let now = runtime.now()
            do {
                let run = try await intake.analyse(
                    message, client: client, step: step, attribution: try runtime.attribution(user, clientID: clientID), at: now)
                let analysis = TicketAnalysis(
                    reading: run.output, subject: ticket.subject, body: ticket.body, at: now,
                    prompt: "\(step.template.id)@\(step.template.version)")
                _ = try repository.setAnalysis(id: id, analysis)
                results.append(AnalysisResult(ticketID: id, analysis: analysis))
                if !touched.contains(clientID) { touched.append(clientID) }
            } catch let error as PromptRunError {
                results.append(AnalysisResult(ticketID: id, note: "analysis failed: \(error)"))
            }
        }
        for clientID in touched {
            _ = ClientRefresh(runtime: runtime).run(clientID: clientID, cause: "support tickets analysed")
        }
        return results
    }

    /// Writes a pending reply draft for ticket `id` (`draft.support-reply`, the ticket fenced as untrusted) and links
    /// it to the ticket. Nothing is sent: the draft waits for a person like any other.
    /// - Throws: `RuntimeError` `ticket.not-found`, `ticket.unlinked` (`.wrongState`); what draft generation throws.
    public func reply(to id: Int64, hint: String?, as user: ActingUser, onDelta: (@Sendable (String) -> Void)? = nil)
        async throws -> Draft
    {
        let ticket = try ticket(id, as: user)
        guard let clientID = ticket.clientID else {
            throw RuntimeError(
                .wrongState, code: "ticket.unlinked",
                "ticket \(id) has no client, so there is no context to reply with; link it by importing its requester as a contact")
        }
        let client = try runtime.client(id: clientID, as: user)
        let variables = try replyVariables(ticket, clientID: clientID)
        let draft = try await runtime.drafts.generate(
            client: client, kind: .supportReply, hint: hint, as: user, extraVariables: variables, onDelta: onDelta)
        try repository.setReplyDraft(id: id, draftID: draft.id)
        return draft
    }

    /// What `draft.support-reply` is given besides the client's context: the ticket (fenced), its priority, the
    /// requester when they are a contact, and the analysis's topics and mood.
    func replyVariables(_ ticket: SupportTicket, clientID: String) throws -> [String: JSONValue] {
        let source = "ticket:\(ticket.id ?? 0)"
        var variables: [String: JSONValue] = [
            "ticket_subject": .string(UntrustedText.fence(ticket.subject, source: source)),
            "ticket_body": .string(UntrustedText.fence(ticket.body, source: source)),
            "ticket_priority": .string(ticket.priority.rawValue),
        ]
        if let contactID = ticket.contactID,
            let contact = try runtime.clientRecords.contacts(clientID: clientID).first(where: { $0.id == contactID })
        {
            variables["primary_contact"] = .object([
                "name": .string(ContextFormat.untrusted(contact.name)), "role": .string(contact.role.rawValue),
                "title": contact.title.map { .string(ContextFormat.untrusted($0)) } ?? .null,
                "email": contact.email.map { .string(ContextFormat.untrusted($0)) } ?? .null,
            ])
        }
        if let analysis = ticket.analysis {
            variables["ticket_topics"] = .string(analysis.topics.joined(separator: ", "))
            variables["ticket_sentiment"] = .string(
                analysis.isNegative ? "negative" : analysis.sentiment > 0.2 ? "positive" : "neutral")
        }
        return variables
    }

    /// The ticket whose reply draft `draftID` is, and the variables to write it again (a regenerated reply).
    func replyContext(forDraft draftID: String, clientID: String) throws -> (ticketID: Int64, variables: [String: JSONValue])? {
        guard let ticket = try repository.ticket(replyDraftID: draftID), let id = ticket.id else { return nil }
        return (id, try replyVariables(ticket, clientID: clientID))
    }

    /// Records `draftID` as the reply draft of ticket `ticketID`.
    func linkReply(ticketID: Int64, draftID: String) throws {
        try repository.setReplyDraft(id: ticketID, draftID: draftID)
    }

    /// A client's support picture: volume, open and urgent tickets, sentiment trend, top topics.
    public func insights(clientID: String, as user: ActingUser) throws -> SupportInsights {
        try runtime.requireClient(clientID, as: user)
        let now = runtime.now()
        // The tickets the insights count: the last 90 days' (topics) and the open ones, read as the snapshot reads them.
        let tickets = try repository.recentOrOpen(clientID: clientID, since: now.addingTimeInterval(-90 * 86_400), limit: 10_000)
        return SupportInsights(tickets: tickets, at: now)
    }
}
