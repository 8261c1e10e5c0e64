import Foundation
import KAMCore
import KAMResources
import KAMStore

/// The rules engine (`kam rules list|check|test|log`; the event consumer `RuleEngine`; the scheduled rules after
/// each job): the rules in effect are the shipped ones (`Resources/rules/defaults.yaml`) replaced by name by the
/// working folder's `rules/*.yaml` and kam.yaml's `workflows:`. A rule that matches is executed through the store
/// in one transaction with its log row (`rule_executions`), so an event handled twice never doubles an action, and
/// every action writes pending things only: suggestions, tasks, notifications, plan items, a lead status, an event
/// for the webhooks. Nothing is sent.
///
/// For example:
/// ```swift
/// let report = try runtime.rules.test("renewal-risk", event: event, dryRun: true)   // conditions and actions, no write
/// let fired = try runtime.rules.runScheduled(.healthRecompute, slot: slot)         // the rules on that schedule
/// ```
public struct RuleService: Sendable {
    let runtime: Runtime

    init(runtime: Runtime) {
        self.runtime = runtime
    }

    private var repository: RuleExecutionRepository { RuleExecutionRepository(store: runtime.store) }

    /// The folder of rule files: `RuntimeOptions.rulesDirectory`, `$KAM_RULES`, else `./rules`.
    public var folder: String {
        runtime.options.rulesDirectory ?? runtime.options.environment["KAM_RULES"].flatMap { $0.isEmpty ? nil : $0 } ?? "rules"
    }

    /// Every rule in effect, disabled ones included (marked), shipped ones first.
    /// - Throws: `ConfigurationError` naming each problem of the rule files with file:line:column and field.
    public func list() throws -> [Rule] {
        try RuleSet.effective(configuration: runtime.configuration, folder: folder)
    }

    /// Checks one rule file, or (no file) every source of rules; the rules it found.
    /// - Throws: `ConfigurationError` with every problem found.
    public func check(file: String?) throws -> [Rule] {
        guard let file else { return try list() }
        return try RuleSet.load(file: file)
    }

    /// What `rule` makes of `event`: the conditions as evaluated, and the actions it would take. With `dryRun` nothing
    /// is written; without, a match is executed (logged with cause `test@TIME`) as the consumer would.
    /// - Throws: `RuntimeError` `.notFound` for an unknown rule or client, `.invalidInput` for an event without a client.
    public func test(_ name: String, event: RuleEvent, dryRun: Bool) throws -> RuleTest {
        let rules = try list()
        guard let rule = rules.first(where: { $0.name == name }) else {
            throw RuntimeError(
                .notFound, code: "rule.not-found",
                "no rule is named '\(name)'; `kam rules list` shows them: \(rules.map(\.name).joined(separator: ", "))")
        }
        guard let clientID = event.clientID else {
            throw RuntimeError(.invalidInput, code: "rule.event-without-client", "the event names no client_id; rules act on a client")
        }
        guard let facts = try facts(clientID: clientID, for: [rule], at: runtime.now()) else {
            throw AccessScope.clientNotFound(clientID)
        }
        let evaluation = RuleEvaluator.evaluate(rule, event: event, facts: facts)
        var test = RuleTest(rule: rule.name, trigger: rule.trigger.summary, triggered: triggers(rule, event), evaluation: evaluation)
        guard !dryRun, evaluation.matched else { return test }
        test.execution = try execute(
            rule, evaluation: evaluation, event: event, facts: facts, chain: nil,
            cause: "test@\(UTCTimestamp.dateTime(runtime.now()))")
        return test
    }

    /// The event of a test file (`kam rules test --event FILE`): `{"kind": "health.changed", "client_id": "acme",
    /// "subject_id": "acme", "payload": {"score": 55, "previous_score": 72}}`, or a line of `kam events list --json`
    /// (its payload a JSON text, its `id` kept).
    /// - Throws: `RuntimeError` `.invalidInput` (`rule.event-invalid`) naming what is wrong.
    public func event(fromJSON text: String) throws -> RuleEvent {
        func invalid(_ message: String) -> RuntimeError {
            RuntimeError(
                .invalidInput, code: "rule.event-invalid",
                "the event file \(message); write {\"kind\": \"health.changed\", \"client_id\": \"acme\", \"payload\": {...}}")
        }
        guard let object = (try? JSONValue.parse(text))?.objectValue else { throw invalid("is not a JSON object") }
        guard let kind = object["kind"]?.stringValue else { throw invalid("has no \"kind\"") }
        guard EventKind(rawValue: kind) != nil || kind.hasPrefix("schedule:") else {
            throw invalid("names an unknown kind '\(kind)' (an event kind, or schedule:JOB)")
        }
        var payload = object["payload"]?.objectValue ?? [:]
        if let text = object["payload"]?.stringValue {
            guard let parsed = (try? JSONValue.parse(text))?.objectValue else { throw invalid("has a payload that is not a JSON object") }
            payload = parsed
        }
        return RuleEvent(
            id: object["id"]?.intValue ?? 0, kind: kind, clientID: object["client_id"]?.stringValue,
            subjectID: object["subject_id"]?.stringValue, payload: payload, occurredAt: runtime.now())
    }

    /// Whether `rule` starts on `event` (an event of one of its kinds, or a run of its schedule).
    private func triggers(_ rule: Rule, _ event: RuleEvent) -> Bool {
        switch rule.trigger {
        case .events: rule.trigger.matches(kind: event.kind)
        case .schedule(let job): event.kind == "schedule:\(job.rawValue)"
        }
    }

    /// Logged executions, newest first, of `rule` and `client` when given, of the clients `user` may see.
    public func log(rule: String? = nil, client: String? = nil, limit: Int = 50, as user: ActingUser) throws -> [RuleExecution] {
        let scope = try runtime.scope(for: user)
        let clientID = try client.map { try runtime.client($0, as: user).id }
        let visible = scope.isEverything ? nil : Set(scope.filter(try runtime.store.listClients()).map(\.id))
        return try repository.log(rule: rule, clientIDs: visible, clientID: clientID, limit: limit)
    }

    /// Runs the consumer `rules` (`RuleEngine`) until it has caught up with the event log, the events its own actions
    /// appended included (a chain ends: `RuleChain`); how many events it read.
    @discardableResult
    public func catchUp() async throws -> Int {
        let engine = try RuleEngine(runtime: runtime)
        var handled = 0
        while true {
            let pass = try await runtime.events.drain(engine)
            handled += pass
            if pass == 0 { return handled }
        }
    }

    /// Whether any enabled rule runs on `job`'s schedule.
    public func hasScheduledRules(for job: JobKind) throws -> Bool {
        try list().contains { $0.enabled && $0.trigger == .schedule(job) }
    }

    /// Evaluates the enabled rules on `job`'s schedule for every client not churned, executing those that match
    /// (once a slot: the cause is the job and slot); how many fired.
    @discardableResult
    public func runScheduled(_ job: JobKind, slot: Date) throws -> Int {
        let rules = try list().filter { $0.enabled && $0.trigger == .schedule(job) }
        guard !rules.isEmpty else { return 0 }
        let cause = "schedule:\(job.rawValue)@\(UTCTimestamp.dateTime(slot))"
        var fired = 0
        for client in try runtime.store.listClients() where client.lifecycle != .churned {
            try Task.checkCancellation()
            guard let facts = try facts(clientID: client.id, for: rules, at: runtime.now()) else { continue }
            let event = RuleEvent.schedule(job, clientID: client.id, at: slot)
            for rule in rules {
                let evaluation = RuleEvaluator.evaluate(rule, event: event, facts: facts)
                guard evaluation.matched else { continue }
                let execution = try execute(rule, evaluation: evaluation, event: event, facts: facts, chain: nil, cause: cause)
                if execution?.status == .fired { fired += 1 }
            }
        }
        return fired
    }

    /// Evaluates the enabled rules `event` starts (an event of the log, in its chain) and executes those that match.
    func handle(_ event: RuleEvent, chain: RuleChain, rules: [Rule]) throws {
        guard let clientID = event.clientID else { return }
        // A rule whose `event:` conditions the payload fails cannot match (and unmatched rules are not logged): the
        // client's facts are read only for the others, so a rule on a frequent kind that wants a rare payload (the
        // competitor-mention alert on suggestion.created) costs no snapshot on every other event of that kind.
        let started = rules.filter { $0.trigger.matches(kind: event.kind) && RuleEvaluator.eventAllows($0, event) }
        guard !started.isEmpty, let facts = try facts(clientID: clientID, for: started, at: runtime.now()) else { return }
        for rule in started {
            let evaluation = RuleEvaluator.evaluate(rule, event: event, facts: facts)
            guard evaluation.matched else { continue }
            try execute(rule, evaluation: evaluation, event: event, facts: facts, chain: chain, cause: "event:\(event.id)")
        }
    }

    /// The facts of client `clientID` now (nil when there is no such client); the lead score only when a rule asks.
    func facts(clientID: String, for rules: [Rule], at now: Date) throws -> RuleFacts? {
        guard let snapshot = try runtime.store.snapshot(clientID: clientID, activitiesSince: now.addingTimeInterval(-60 * 86_400))
        else { return nil }
        let health = try HealthRepository(store: runtime.store).history(clientID: clientID, limit: 1).first?.score
        let needsLead = rules.contains { $0.actions.contains(.scoreLead) }
        let lead = needsLead ? LeadScorer(rules: runtime.configuration.rules).score(snapshot, at: now) : nil
        return RuleFacts(snapshot: snapshot, health: health, lead: lead, at: now)
    }

    /// Logs a matched rule and, unless its chain or cooldown stops it, makes its actions' writes in the same
    /// transaction; nil when this rule, cause and client were already executed.
    @discardableResult
    func execute(
        _ rule: Rule, evaluation: RuleEvaluation, event: RuleEvent, facts: RuleFacts, chain: RuleChain?, cause: String
    ) throws -> RuleExecution? {
        let started = runtime.now()
        var execution = RuleExecution(
            rule: rule.name, cause: cause, eventID: event.id == 0 ? nil : event.id, clientID: facts.clientID,
            chainRoot: chain?.root, chainDepth: chain?.depth ?? 0, status: .fired, conditions: evaluation.conditions,
            startedAt: started)
        if let chain,
            let stop = chain.stop(
                firedInChain: try repository.firedInChain(rule: rule.name, clientID: facts.clientID, root: chain.root))
        {
            execution.status = .stopped
            execution.stopReason = stop.rawValue
            return try repository.record(execution, writes: [], chain: nil, clock: runtime.now)
        }
        if rule.cooldownDays > 0, let last = try repository.lastFired(rule: rule.name, clientID: facts.clientID),
            started.timeIntervalSince(last) < Double(rule.cooldownDays) * 86_400
        {
            execution.status = .cooldown
            execution.stopReason = "fired \(UTCTimestamp.dateTime(last)), within \(rule.cooldownDays) days"
            return try repository.record(execution, writes: [], chain: nil, clock: runtime.now)
        }
        let writes = try RuleWrites(runtime: runtime, rule: rule, facts: facts, evaluation: evaluation, at: started).all()
        return try repository.record(
            execution, writes: writes, chain: chain?.next ?? RuleChain(root: 0, depth: 1), clock: runtime.now)
    }
}
