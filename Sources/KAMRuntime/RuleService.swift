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

    private var repository: any RuleExecutionStoring { runtime.ruleExecutions }

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
    public func test(_ name: String, event: RuleEvent, dryRun: Bool) async throws -> RuleTest {
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
        guard !dryRun else { return test }
        let cause = "test@\(UTCTimestamp.dateTime(runtime.now()))"
        let request =
            evaluation.matched
            ? try await decide(
                rule, evaluation: evaluation, event: event, facts: facts, chain: nil, cause: cause, accounts: try accounts())
            : skipped(evaluation, event: event, clientID: clientID, chain: nil, cause: cause, at: runtime.now())
        test.execution = try record([request]).first ?? nil
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
        case .events: rule.trigger.matches(kind: event.kind, payload: event.payload)
        case .schedule(let job): event.kind == "schedule:\(job.rawValue)"
        }
    }

    /// A page of logged executions, newest first, of `rule`, `client`, `status` (`skipped`: the rules that started and
    /// did not match) and started at or after `since` when given, of the clients `user` may see (`kam rules log`,
    /// `GET /rules/executions`).
    /// - Throws: `RuntimeError` `.notFound` for a `client` that is unknown or outside `user`'s scope.
    public func log(
        rule: String? = nil, client: String? = nil, status: RuleExecution.Status? = nil, since: Date? = nil,
        page: PageRequest = PageRequest(), as user: ActingUser
    ) throws -> Page<RuleExecution> {
        let scope = try runtime.scope(for: user)
        let clientID = try client.map { try runtime.client($0, as: user).id }
        let visible = scope.isEverything || clientID != nil ? nil : Set(scope.filter(try runtime.clientMemory.listClients()).map(\.id))
        return page.page(
            fetched: try repository.log(
                rule: rule, clientIDs: visible, clientID: clientID, status: status, since: since, limit: page.limit + 1,
                offset: page.offset))
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
    /// (once a slot: the cause is the job and slot); how many fired. The facts are read a chunk of clients at a time.
    @discardableResult
    public func runScheduled(_ job: JobKind, slot: Date) async throws -> Int {
        let rules = try list().filter { $0.enabled && $0.trigger == .schedule(job) }
        guard !rules.isEmpty else { return 0 }
        let cause = "schedule:\(job.rawValue)@\(UTCTimestamp.dateTime(slot))"
        let clientIDs = try runtime.clientMemory.listClients().filter { $0.lifecycle != .churned }.map(\.id)
        let accounts = try accounts()
        var fired = 0
        var start = 0
        while start < clientIDs.count {
            try Task.checkCancellation()
            let part = Array(clientIDs[start..<min(start + Self.chunk, clientIDs.count)])
            start += Self.chunk
            let facts = try self.facts(clientIDs: part, for: rules, at: runtime.now())
            var requests: [RuleExecutionRequest] = []
            for clientID in part {
                guard let facts = facts[clientID] else { continue }
                let event = RuleEvent.schedule(job, clientID: clientID, at: slot)
                for rule in rules {
                    let evaluation = RuleEvaluator.evaluate(rule, event: event, facts: facts)
                    // A scheduled rule that does not match a client is not logged: that is the usual case for every
                    // client at every slot (the hourly inactivity check alone would log ~60,000 rows a pass over 10,000
                    // clients and halve the pass's speed). `kam rules test RULE --event FILE --dry-run` explains one; rules on
                    // events log their non-matches as skipped.
                    guard evaluation.matched else { continue }
                    if rule.assignsOwners || rule.writesDrafts {
                        fired += try record(requests).filter { $0?.status == .fired }.count
                        requests = []
                    }
                    requests.append(
                        try await decide(
                            rule, evaluation: evaluation, event: event, facts: facts, chain: nil, cause: cause, accounts: accounts))
                }
            }
            // A chunk's executions in one transaction.
            fired += try record(requests).filter { $0?.status == .fired }.count
        }
        return fired
    }

    /// Clients whose facts are read together.
    static let chunk = 1_000

    /// An event of the log, in its chain, the enabled rules it starts whose `event:` conditions hold, and the
    /// evaluations of those whose `event:` conditions failed (logged as skipped).
    struct Started: Sendable {
        var event: RuleEvent
        var chain: RuleChain
        var rules: [Rule]
        var refused: [RuleEvaluation] = []
    }

    /// Evaluates each event's rules, in order, and executes those that match, in one transaction. The facts of every
    /// client the events name are read once; before a client's next event after one of its rules matched, the
    /// executions so far are recorded and its facts read again (an action may have set its lead status).
    func handle(_ started: [Started]) async throws {
        var seen = Set<String>()
        let clientIDs = started.filter { !$0.rules.isEmpty }.compactMap(\.event.clientID).filter { seen.insert($0).inserted }
        var facts = try self.facts(clientIDs: clientIDs, for: started.flatMap(\.rules), at: runtime.now())
        let accounts = try accounts()
        var requests: [RuleExecutionRequest] = []
        var stale = Set<String>()
        for item in started {
            try Task.checkCancellation()
            guard let clientID = item.event.clientID else { continue }
            let cause = "event:\(item.event.id)"
            for refusal in item.refused {
                requests.append(skipped(refusal, event: item.event, clientID: clientID, chain: item.chain, cause: cause, at: runtime.now()))
            }
            guard !item.rules.isEmpty else { continue }
            if stale.remove(clientID) != nil {
                try record(requests)
                requests = []
                facts[clientID] = try self.facts(clientID: clientID, for: item.rules, at: runtime.now())
            }
            guard let current = facts[clientID] else { continue }
            for rule in item.rules {
                let evaluation = RuleEvaluator.evaluate(rule, event: item.event, facts: current)
                guard evaluation.matched else {
                    requests.append(
                        skipped(evaluation, event: item.event, clientID: clientID, chain: item.chain, cause: cause, at: runtime.now()))
                    continue
                }
                if rule.assignsOwners || rule.writesDrafts {
                    // The least-loaded owner is counted from the store, and whether a draft is worth a model call
                    // (`decide`): the executions so far are recorded first.
                    try record(requests)
                    requests = []
                }
                requests.append(
                    try await decide(
                        rule, evaluation: evaluation, event: item.event, facts: current, chain: item.chain, cause: cause,
                        accounts: accounts))
                stale.insert(clientID)
            }
        }
        try record(requests)
    }

    /// Records `requests` in one transaction (`RuleExecutionRepository.record`), then re-scores each client whose lead
    /// an execution accepted enrichment for, as a person's acceptance does (`LeadService.decide`): the accepted fields
    /// change the lead's score and what derives from it now, not at the next recompute.
    @discardableResult
    private func record(_ requests: [RuleExecutionRequest]) throws -> [RuleExecution?] {
        let executions = try repository.record(requests, clock: runtime.now)
        var refreshed = Set<String>()
        for (request, execution) in zip(requests, executions) {
            guard let execution, execution.status == .fired, !refreshed.contains(execution.clientID) else { continue }
            let accepted = zip(request.writes, execution.actions).contains { planned, outcome in
                if case .acceptEnrichment = planned.write { outcome.outcome == "done" } else { false }
            }
            guard accepted else { continue }
            refreshed.insert(execution.clientID)
            _ = ClientRefresh(runtime: runtime).run(
                clientID: execution.clientID, cause: "lead enrichment accepted by rule \(execution.rule)")
        }
        return executions
    }

    /// The enabled users: who notifications, tasks and owners may go to.
    private func accounts() throws -> [UserAccount] {
        try runtime.userStore.accounts().filter { !$0.isDisabled }
    }

    /// The facts of client `clientID` now (nil when there is no such client); the lead score only when a rule asks.
    func facts(clientID: String, for rules: [Rule], at now: Date) throws -> RuleFacts? {
        try facts(clientIDs: [clientID], for: rules, at: now)[clientID]
    }

    /// The facts of each of `clientIDs` that exists: read together (`Runtime.ruleFacts`), or from each client's
    /// snapshot when a rule scores leads (the lead score reads the whole snapshot).
    func facts(clientIDs: [String], for rules: [Rule], at now: Date) throws -> [String: RuleFacts] {
        guard rules.contains(where: { $0.actions.contains(.scoreLead) }) else {
            return try runtime.ruleFacts(chunk: Self.chunk).facts(clientIDs: clientIDs, at: now)
        }
        return try SnapshotRuleFacts(
            memory: runtime.clientMemory, health: runtime.healthStore, leads: LeadScorer(rules: runtime.configuration.rules)
        ).facts(clientIDs: clientIDs, at: now)
    }

    /// The compact record of a rule that started on `event` and did not match: its conditions as evaluated and the
    /// ones that failed, no actions.
    func skipped(
        _ evaluation: RuleEvaluation, event: RuleEvent, clientID: String, chain: RuleChain?, cause: String, at: Date
    ) -> RuleExecutionRequest {
        RuleExecutionRequest(
            execution: RuleExecution(
                rule: evaluation.rule, cause: cause, eventID: event.id == 0 ? nil : event.id, clientID: clientID,
                chainRoot: chain?.root, chainDepth: chain?.depth ?? 0, status: .skipped, stopReason: evaluation.failures,
                conditions: evaluation.conditions, startedAt: at),
            writes: [], chain: chain, cooldownDays: 0)
    }

    /// A matched rule's execution with its actions' writes, for `RuleExecutionRepository.record`, which logs it and,
    /// unless its chain or cooldown stops it, makes the writes in the same transaction. A rule that writes drafts
    /// calls the model only when the execution would fire (`RuleExecutionRepository.fires`); else its request has no
    /// writes, and the record logs why it stopped (or nothing, when it was executed already).
    func decide(
        _ rule: Rule, evaluation: RuleEvaluation, event: RuleEvent, facts: RuleFacts, chain: RuleChain?, cause: String,
        accounts: [UserAccount]
    ) async throws -> RuleExecutionRequest {
        let started = runtime.now()
        var request = RuleExecutionRequest(
            execution: RuleExecution(
                rule: rule.name, cause: cause, eventID: event.id == 0 ? nil : event.id, clientID: facts.clientID,
                chainRoot: chain?.root, chainDepth: chain?.depth ?? 0, status: .fired, conditions: evaluation.conditions,
                startedAt: started),
            writes: [], chain: chain, cooldownDays: rule.cooldownDays)
        if rule.writesDrafts, try !repository.fires(request) { return request }
        request.writes = try await RuleWrites(
            runtime: runtime, rule: rule, facts: facts, evaluation: evaluation, accounts: accounts, at: started
        ).all()
        request.execution.durationMilliseconds = max(0, runtime.now().timeIntervalSince(started) * 1000)
        return request
    }
}
