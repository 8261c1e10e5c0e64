import Crypto
import Foundation

/// Ingests email: for each message, dedupe by Message-ID, match the client, analyse it (with the
/// client's consent), and store the email, an activity, a task per action item and a pending
/// acknowledgment draft in one transaction.
///
/// Pure orchestration: the store, the client memory, the model runners and the clock are injected.
/// Nothing is dropped: an unreadable message is stored as `failed` with its raw bytes and the reason,
/// an email without a client as `unmatched`. Nothing is sent either: the email's text reaches the model
/// only inside an `<untrusted>` fence, and what comes back can only become stored rows and a draft
/// that waits for a person.
public struct EmailIntake: Sendable {
    /// A prompt with the runner and options that call it.
    public struct Step: Sendable {
        public var runner: PromptRunner
        public var template: PromptTemplate
        public var options: PromptRunner.Options

        public init(runner: PromptRunner, template: PromptTemplate, options: PromptRunner.Options) {
            self.runner = runner
            self.template = template
            self.options = options
        }
    }

    public struct Configuration: Sendable {
        public var matching: ClientMatcher.Options
        public var dueDates: DueHintParser
        /// Action items beyond this many are not turned into tasks.
        public var maxTasks: Int
        /// How much of the email body the acknowledgment prompt sees.
        public var maxBodyCharacters: Int
        /// The support desk's addresses (lowercased): a client's inbound email to one of them opens a ticket.
        public var supportAddresses: Set<String>

        public init(
            matching: ClientMatcher.Options = ClientMatcher.Options(), dueDates: DueHintParser = DueHintParser(),
            maxTasks: Int = 10, maxBodyCharacters: Int = 4000, supportAddresses: Set<String> = []
        ) {
            self.matching = matching
            self.dueDates = dueDates
            self.maxTasks = maxTasks
            self.maxBodyCharacters = maxBodyCharacters
            self.supportAddresses = Set(supportAddresses.map { $0.lowercased() })
        }
    }

    public var store: any EmailIntakeStore
    /// Where client context comes from (for the analysis background and the draft).
    public var memory: any ClientMemoryReading
    public var tokenCounter: any TokenCounting
    /// `analysis.inbound-email`; nil to store without analysis.
    public var analysis: Step?
    /// The acknowledgment draft's prompt; nil for no draft.
    public var acknowledgment: Step?
    /// Who the model calls are for (the client is set per email).
    public var attribution: CallAttribution
    public var configuration: Configuration
    public var now: @Sendable () -> Date
    public var makeDraftID: @Sendable () -> String

    public init(
        store: any EmailIntakeStore, memory: any ClientMemoryReading, tokenCounter: any TokenCounting,
        analysis: Step?, acknowledgment: Step?, attribution: CallAttribution = CallAttribution(),
        configuration: Configuration = Configuration(), now: @escaping @Sendable () -> Date,
        makeDraftID: @escaping @Sendable () -> String
    ) {
        self.store = store
        self.memory = memory
        self.tokenCounter = tokenCounter
        self.analysis = analysis
        self.acknowledgment = acknowledgment
        self.attribution = attribution
        self.configuration = configuration
        self.now = now
        self.makeDraftID = makeDraftID
    }

    /// Ingests one item.
    ///
    /// - Throws: only what cannot be an outcome: the store failing, a prompt that cannot render
    ///   (`PromptError`, a broken prompt file), cancellation. A model that fails, a refused budget or
    ///   an invalid answer are recorded in the outcome and the email is stored all the same.
    public func ingest(_ item: EmailIntakeItem) async throws -> EmailIntakeOutcome {
        switch item {
        case .raw(let bytes):
            do {
                return try await ingest(try EmailParser().parse(bytes), raw: bytes)
            } catch let error as EmailParseError {
                return try ingestMalformed(raw: bytes, reason: error.reason)
            }
        case .message(let message, let raw):
            return try await ingest(message, raw: raw)
        case .malformed(let raw, let reason):
            return try ingestMalformed(raw: raw, reason: reason)
        }
    }

    /// Stores bytes that could not be parsed, as `failed`, under the SHA-256 of the bytes.
    public func ingestMalformed(raw: [UInt8], reason: String) throws -> EmailIntakeOutcome {
        let id = Self.rawID(raw)
        let now = now()
        let match = EmailClientMatch.unreadable("the message could not be parsed: \(reason)")
        let record = EmailIntakeRecord(
            messageID: id, status: .failed, match: match, receivedAt: now, ingestedAt: now, message: nil, raw: raw,
            failure: reason)
        var outcome = EmailIntakeOutcome(status: .failed, messageID: id, match: match, receivedAt: now, failure: reason)
        switch try store.store(record) {
        case .stored(let entry, _, _): outcome.entryID = entry
        case .duplicate(let entry):
            outcome.status = .duplicate
            outcome.entryID = entry
        }
        return outcome
    }

    /// Ingests a parsed message; `raw` is kept as received.
    public func ingest(_ message: EmailMessage, raw: [UInt8]) async throws -> EmailIntakeOutcome {
        let id = Self.messageID(of: message, raw: raw)
        let ingestedAt = now()
        let receivedAt = message.date ?? ingestedAt
        if try store.containsEmail(messageID: id) {
            return EmailIntakeOutcome(
                status: .duplicate, messageID: id, match: .unreadable("already ingested"),
                from: message.from?.address, subject: message.subject, receivedAt: receivedAt)
        }
        let match = try ClientMatcher(directory: store, options: configuration.matching).match(message)
        var record = EmailIntakeRecord(
            messageID: id, status: match.isMatched ? .new : .unmatched, match: match, receivedAt: receivedAt,
            ingestedAt: ingestedAt, message: message, raw: raw)
        var outcome = EmailIntakeOutcome(
            status: record.status, messageID: id, match: match, from: message.from?.address, subject: message.subject,
            receivedAt: receivedAt)
        guard let client = match.client else {
            record.analysisNote = "not analysed: no client matched"
            outcome.analysisNote = record.analysisNote
            return try finish(record, outcome)
        }

        var attribution = self.attribution
        attribution.clientID = client.id
        if match.direction != .inbound {
            record.analysisNote = "not analysed: \(match.direction.rawValue) mail from the team"
        } else if !client.consentAIAnalysis {
            record.analysisNote = "not analysed: \(client.name) has not consented to AI analysis"
        } else if let step = analysis {
            do {
                let run = try await analyse(message, client: client, step: step, attribution: attribution, at: ingestedAt)
                record.analysis = run.output
                record.analysisPrompt = "\(step.template.id)@\(step.template.version)"
                outcome.analysisAttempts = run.attempts
            } catch let error as PromptRunError {
                record.analysisNote = "analysis failed: \(error)"
                outcome.analysisError = error
                outcome.analysisAttempts = error.attempts
            } catch let error where Self.isReportable(error) {
                record.analysisNote = "analysis failed: \(error)"
            }
        } else {
            record.analysisNote = "not analysed: no analysis prompt configured"
        }
        record.activity = Activity(
            clientID: client.id, contactID: match.contactID, externalID: "email:\(id)", kind: .email,
            direction: match.direction == .outbound ? .outbound : .inbound, occurredAt: receivedAt,
            subject: message.subject.isEmpty ? nil : message.subject, body: message.text,
            sentiment: record.analysis?.sentimentScore)
        record.tasks = tasks(from: record.analysis, client: client, messageID: id, sentAt: receivedAt)
        record.ticket = ticket(for: message, match: match, analysis: record.analysis, prompt: record.analysisPrompt,
            messageID: id, receivedAt: receivedAt, analysedAt: ingestedAt)

        if match.direction == .inbound, client.consentAIAnalysis, let step = acknowledgment {
            do {
                let draft = try await acknowledge(
                    message, messageID: id, analysis: record.analysis, client: client, step: step,
                    attribution: attribution, at: ingestedAt)
                record.draft = draft
                outcome.draftUsage = draft.usage
            } catch let error as PromptRunError {
                record.draftNote = "no acknowledgment draft: \(error)"
                outcome.draftUsage = error.usage
            } catch let error where Self.isReportable(error) {
                record.draftNote = "no acknowledgment draft: \(error)"
            }
        } else if match.direction == .inbound {
            record.draftNote =
                client.consentAIAnalysis
                ? "no acknowledgment draft: no draft prompt configured"
                : "no acknowledgment draft: \(client.name) has not consented to AI analysis"
        }
        outcome.analysis = record.analysis
        outcome.analysisNote = record.analysisNote
        outcome.draftNote = record.draftNote
        outcome = try finish(record, outcome)
        if outcome.status == .new, let transition = LeadLifecycle.afterActivity(
            clientID: client.id, status: client.leadStatus, at: ingestedAt)
        {
            do {
                try store.apply(transition)
                outcome.leadTransition = transition
            } catch {
                // Someone moved the lead meanwhile: their decision stands.
                outcome.leadTransition = nil
            }
        }
        return outcome
    }

    /// Stores the record and fills the outcome with the ids written.
    private func finish(_ record: EmailIntakeRecord, _ outcome: EmailIntakeOutcome) throws -> EmailIntakeOutcome {
        var outcome = outcome
        switch try store.store(record) {
        case .stored(let entry, let activityID, let taskIDs):
            outcome.entryID = entry
            outcome.activityID = activityID
            outcome.tasks = zip(record.tasks, taskIDs).map { task, id in
                var task = task
                task.id = id
                return task
            }
            outcome.draftID = record.draft?.id
        case .duplicate(let entry):
            outcome = EmailIntakeOutcome(
                status: .duplicate, messageID: record.messageID, entryID: entry, match: record.match,
                from: outcome.from, subject: outcome.subject, receivedAt: record.receivedAt, analysisAttempts: outcome.analysisAttempts,
                draftUsage: outcome.draftUsage)
        }
        return outcome
    }

    // MARK: - Analysis

    /// The variables of `analysis.inbound-email`: everything the sender wrote is fenced as untrusted.
    public func analysisVariables(
        _ message: EmailMessage, client: Client, context: AssembledContext?
    ) -> [String: JSONValue] {
        let source = "email:" + (message.messageID ?? "unknown")
        var variables: [String: JSONValue] = [
            "client_name": .string(client.name),
            "email_from": .string(UntrustedText.fence(Self.display(message.from), source: source)),
            "email_subject": .string(UntrustedText.fence(message.subject, source: source)),
            "email_body": .string(UntrustedText.fence(message.text, source: source)),
        ]
        if let date = message.date { variables["received_at"] = .string(Self.day(date, configuration.dueDates.timeZone)) }
        if let context { variables["context"] = .string(context.text) }
        return variables
    }

    /// Runs `analysis.inbound-email` on `message` for `client`, with the client's context as background (also what
    /// reads a support ticket: its subject and description as the message).
    public func analyse(
        _ message: EmailMessage, client: Client, step: Step, attribution: CallAttribution, at now: Date
    ) async throws -> PromptRun<InboundEmailAnalysis> {
        let context = try assembleContext(client, budget: step.template.contextTokenBudget, now: now)
        return try await step.runner.run(
            step.template, variables: analysisVariables(message, client: client, context: context),
            as: InboundEmailAnalysis.self, options: step.options, attribution: attribution)
    }

    /// The client's context, or nil when it cannot be assembled within the budget (the analysis runs
    /// without background then).
    func assembleContext(_ client: Client, budget: Int?, now: Date) throws -> AssembledContext? {
        let assembler = ContextAssembler(tokenCounter: tokenCounter, options: ContextAssemblyOptions(tokenBudget: budget))
        return try assembler.assemble(clientID: client.id, from: memory, now: now).context
    }

    // MARK: - Support tickets

    /// The ticket an inbound email of a client to a support address opens (its priority from the analysis's
    /// urgency, its topics from `TicketTopics`); nil for other mail.
    func ticket(
        for message: EmailMessage, match: EmailClientMatch, analysis: InboundEmailAnalysis?, prompt: String?,
        messageID: String, receivedAt: Date, analysedAt: Date
    ) -> SupportTicket? {
        guard let client = match.client, match.direction == .inbound, !configuration.supportAddresses.isEmpty,
            (message.to + message.cc).contains(where: { configuration.supportAddresses.contains($0.address) })
        else { return nil }
        let priority: TicketPriority =
            switch analysis?.urgency {
            case .critical: .urgent
            case .high: .high
            case .low: .low
            case .medium, nil: .normal
            }
        let read = analysis.map {
            TicketAnalysis(
                reading: $0, subject: message.subject, body: message.text, at: analysedAt, prompt: prompt ?? "analysis.inbound-email")
        }
        return SupportTicket(
            clientID: client.id, contactID: match.contactID, externalID: "email:\(messageID)", channel: .email,
            requester: message.from?.address, subject: message.subject.isEmpty ? "(no subject)" : message.subject,
            body: message.text, status: .new, priority: priority, createdAt: receivedAt, link: "email \(match.method.rawValue)",
            analysis: read)
    }

    // MARK: - Tasks

    /// A task per action item (up to `maxTasks`), due when its hint names a day, prioritised by urgency.
    public func tasks(
        from analysis: InboundEmailAnalysis?, client: Client, messageID: String, sentAt: Date
    ) -> [ClientTask] {
        guard let analysis else { return [] }
        let priority: TaskPriority =
            switch analysis.urgency {
            case .low: .low
            case .medium: .medium
            case .high: .high
            case .critical: .urgent
            }
        return analysis.actionItems.prefix(configuration.maxTasks).enumerated().compactMap { index, item in
            let title = item.description.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !title.isEmpty else { return nil }
            return ClientTask(
                clientID: client.id, externalID: "email:\(messageID)#\(index + 1)", title: String(title.prefix(200)),
                due: configuration.dueDates.due(from: item.dueHint, relativeTo: sentAt), priority: priority,
                assignee: client.ownerID)
        }
    }

    // MARK: - Acknowledgment

    /// The trusted instruction for the acknowledgment draft: built only from KAM's own words, the date
    /// and the analysis' enumerated values, never from text the sender or the model wrote.
    public func acknowledgmentHint(_ message: EmailMessage, analysis: InboundEmailAnalysis?) -> String {
        var hint = "acknowledge the client's email"
        if let date = message.date { hint += " of \(Self.day(date, configuration.dueDates.timeZone))" }
        if let analysis {
            hint += " (\(analysis.intent.rawValue), urgency \(analysis.urgency.rawValue))"
        }
        hint += ": thank them, confirm the team has it and will come back on each point; "
            + "promise nothing the context does not support"
        return hint
    }

    func acknowledge(
        _ message: EmailMessage, messageID: String, analysis: InboundEmailAnalysis?, client: Client, step: Step,
        attribution: CallAttribution, at now: Date
    ) async throws -> Draft {
        let budget = step.template.contextTokenBudget
        let assembler = ContextAssembler(tokenCounter: tokenCounter, options: ContextAssemblyOptions(tokenBudget: budget))
        let context = try assembler.assemble(clientID: client.id, from: memory, now: now).get()
        let body = String(message.text.prefix(configuration.maxBodyCharacters))
        let email = UntrustedText.fence(
            "From: \(Self.display(message.from))\nSubject: \(message.subject)\n\n\(body)", source: "email:\(messageID)")
        let extra: [String: JSONValue] = [
            "context": .string(context.text + "\n# The email to acknowledge\n" + email + "\n")
        ]
        return try await DraftGenerator(runner: step.runner).generate(
            kind: .acknowledgment, hint: acknowledgmentHint(message, analysis: analysis), template: step.template,
            context: context, extraVariables: extra, options: step.options, attribution: attribution,
            id: makeDraftID(), now: now)
    }

    // MARK: - Ids and formatting

    /// The Message-ID without angle brackets, or `sha256:<hex>` of the raw bytes when there is none.
    public static func messageID(of message: EmailMessage, raw: [UInt8]) -> String {
        let id = (message.messageID ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "<> \t\r\n"))
        return id.isEmpty ? rawID(raw) : id
    }

    /// A stable id for bytes: `sha256:` and the hex digest.
    public static func rawID(_ raw: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: raw).map { String(format: "%02x", $0) }.joined()
    }

    static func display(_ address: EmailAddress?) -> String {
        guard let address else { return "(unknown sender)" }
        guard let name = address.name, !name.isEmpty else { return address.address }
        return "\(name) <\(address.address)>"
    }

    static func day(_ date: Date, _ timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Failures that become part of the outcome rather than stopping the intake: budgets, providers,
    /// a context that cannot be assembled. Cancellation and broken prompt files still stop it.
    static func isReportable(_ error: any Error) -> Bool {
        switch error {
        case is CancellationError, is PromptError: false
        default: true
        }
    }
}
