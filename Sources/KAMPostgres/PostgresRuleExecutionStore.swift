import Foundation
import KAMCore
import PostgresNIO

/// The rules engine's log and writes in a PostgreSQL database (`rule_executions`), as `RuleExecutionRepository` keeps
/// them in SQLite (`RuleExecutionStoring`), shared by every process that opens it.
///
/// What SQLite's single writer gave, PostgreSQL gets so:
/// - an execution is logged once a (rule, cause, client): the unique key with `ON CONFLICT DO NOTHING`, so of two
///   processes handling the same event the second logs nothing and makes no write (nil);
/// - the chain and cooldown checks and the log row that later checks read are one step: a `record` first takes a
///   transaction-scoped advisory lock on each (rule, client) it fires for, in one order (so two batches never wait
///   for each other in a circle), so of two processes firing one rule for one client within its cooldown exactly one
///   fires and the other is logged `cooldown`;
/// - each action is made in a savepoint (a refused write is logged as failed and leaves the others standing), and the
///   events its writes append are the ones stamped with the chain (`PostgresEventRecorder`): never another process's
///   events written meanwhile.
///
/// For example:
///
///     let rules = PostgresRuleExecutionStore(store: try await PostgresStore.open(configuration))
///     let stored = try rules.record(requests, clock: { Date() })
public struct PostgresRuleExecutionStore: RuleExecutionStoring {
    public let store: PostgresStore

    /// The advisory lock's first key: "kam rules" (the second hashes the schema, the rule and the client).
    static let lockKey: Int32 = 0x4B41_4D10

    public init(store: PostgresStore) {
        self.store = store
    }

    @discardableResult
    public func record(_ requests: [RuleExecutionRequest], clock: @Sendable () -> Date) throws -> [RuleExecution?] {
        guard !requests.isEmpty else { return [] }
        let schema = store.configuration.schema
        return try store.transaction(readOnly: false) { session in
            let firing = Set(requests.filter { $0.execution.status != .skipped }.map(Self.lockName)).sorted()
            for name in firing {
                try session.query(
                    "SELECT pg_advisory_xact_lock(\(Self.lockKey), hashtext(\(schema) || '/' || \(name)))",
                    doing: "waiting for the rules' lock of \(name)")
            }
            return try requests.map { try Self.record($0, session, clock: clock) }
        }
    }

    /// The advisory lock's name of a request: its rule and client.
    private static func lockName(_ request: RuleExecutionRequest) -> String {
        "\(request.execution.rule)\u{1F}\(request.execution.clientID)"
    }

    /// Logs a request's execution and, unless its chain or its cooldown stops it, makes its writes, as
    /// `RuleExecutionRepository.record(_:in:clock:)` does.
    private static func record(_ request: RuleExecutionRequest, _ session: PostgresSession, clock: () -> Date) throws
        -> RuleExecution?
    {
        let began = clock()
        var execution = request.execution
        var writes = request.writes
        if execution.status == .skipped {
            writes = []
        } else if let (status, reason) = try stop(session, request) {
            execution.status = status
            execution.stopReason = reason
            writes = []
        }
        var stored = execution
        let inserted = try session.query(
            """
            INSERT INTO rule_executions (rule, cause, event_id, client_id, chain_root, chain_depth, status,
                stop_reason, conditions, actions, started_at, duration_ms)
            VALUES (\(execution.rule), \(execution.cause), \(execution.eventID), \(execution.clientID),
                \(execution.chainRoot), \(execution.chainDepth), \(execution.status.rawValue), \(execution.stopReason),
                \(RuleEvaluation.Condition.jsonText(execution.conditions)), '[]',
                \(execution.startedAt.timeIntervalSince1970), \(execution.durationMilliseconds))
            ON CONFLICT (rule, cause, client_id) DO NOTHING
            RETURNING id
            """, doing: "logging rule \(execution.rule) for client \(execution.clientID)")
        guard let id = try inserted.rows.first?.decode(Int64.self) else { return nil }
        stored.id = id
        guard execution.status != .skipped else { return stored }
        let recorder = PostgresEventRecorder()
        var writing = session
        writing.appendedEvents = recorder
        stored.actions = []
        for (action, write) in writes {
            // Each action in a savepoint: one refused write (a client deleted meanwhile) is logged as failed and
            // leaves the others standing (its events roll back with it: the stamp below skips their ids).
            var outcome = RuleActionOutcome(action: action, outcome: "failed", detail: "")
            try session.query("SAVEPOINT rule_action", doing: "starting action \(action)")
            do {
                outcome = try PostgresRuleWrites.make(writing, write, execution: stored, action: action)
                try session.query("RELEASE SAVEPOINT rule_action", doing: "ending action \(action)")
            } catch {
                try session.query("ROLLBACK TO SAVEPOINT rule_action", doing: "undoing action \(action)")
                outcome.detail = "\(error)"
            }
            stored.actions.append(outcome)
        }
        if execution.status == .fired, !writes.isEmpty, !recorder.ids.isEmpty {
            // A run without an event (root 0) roots its chain at the first event its writes appended.
            let chain = request.chain?.next ?? RuleChain(root: 0, depth: 1)
            let ids = recorder.ids
            let root: Int64? = chain.root == 0 ? nil : chain.root
            try session.query(
                """
                UPDATE events
                SET chain_root = COALESCE(\(root), (SELECT MIN(id) FROM events WHERE id = ANY(\(ids)))),
                    chain_depth = \(chain.depth)
                WHERE id = ANY(\(ids))
                """, doing: "stamping the events of rule \(execution.rule) with their chain")
        }
        stored.durationMilliseconds = max(0, execution.durationMilliseconds + clock().timeIntervalSince(began) * 1000)
        try session.query(
            """
            UPDATE rule_executions SET actions = \(RuleActionOutcome.jsonText(stored.actions)),
                duration_ms = \(stored.durationMilliseconds)
            WHERE id = \(id)
            """, doing: "logging the actions of rule \(execution.rule)")
        return stored
    }

    /// How the request's chain (`stopped`) or its rule's cooldown (`cooldown`) stops it, with the reason; nil when
    /// it fires.
    private static func stop(_ session: PostgresSession, _ request: RuleExecutionRequest) throws
        -> (RuleExecution.Status, String)?
    {
        let execution = request.execution
        if let chain = request.chain,
            let stop = chain.stop(firedInChain: try firedInChain(session, execution, root: chain.root))
        {
            return (.stopped, stop.rawValue)
        }
        if request.cooldownDays > 0, let last = try lastFired(session, execution),
            execution.startedAt.timeIntervalSince(last) < Double(request.cooldownDays) * 86_400
        {
            return (.cooldown, "fired \(UTCTimestamp.dateTime(last)), within \(request.cooldownDays) days")
        }
        return nil
    }

    public func fires(_ request: RuleExecutionRequest) throws -> Bool {
        try store.transaction(readOnly: true) { session in
            let execution = request.execution
            let executed = try !session.query(
                """
                SELECT 1 FROM rule_executions
                WHERE rule = \(execution.rule) AND cause = \(execution.cause) AND client_id = \(execution.clientID)
                """, doing: "checking the log of rule \(execution.rule)"
            ).rows.isEmpty
            return try !executed && Self.stop(session, request) == nil
        }
    }

    /// Whether the execution's rule fired for its client in the chain rooted at `root`.
    private static func firedInChain(_ session: PostgresSession, _ execution: RuleExecution, root: Int64) throws
        -> Bool
    {
        try !session.query(
            """
            SELECT 1 FROM rule_executions
            WHERE chain_root = \(root) AND rule = \(execution.rule) AND client_id = \(execution.clientID)
                AND status = 'fired'
            LIMIT 1
            """, doing: "reading the chain of rule \(execution.rule)"
        ).rows.isEmpty
    }

    /// When the execution's rule last fired for its client, if ever.
    private static func lastFired(_ session: PostgresSession, _ execution: RuleExecution) throws -> Date? {
        try session.query(
            """
            SELECT MAX(started_at) FROM rule_executions
            WHERE client_id = \(execution.clientID) AND rule = \(execution.rule) AND status = 'fired'
            """, doing: "reading when rule \(execution.rule) last fired"
        ).rows.first.flatMap { try $0.decode(Double?.self) }.map(Date.init(timeIntervalSince1970:))
    }

    public func log(
        rule: String? = nil, clientIDs: Set<String>? = nil, clientID: String? = nil,
        status: RuleExecution.Status? = nil, since: Date? = nil, limit: Int = 50, offset: Int = 0
    ) throws -> [RuleExecution] {
        let ids = clientIDs.map { $0.sorted() }
        let after = since?.timeIntervalSince1970
        return try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT \(unescaped: Self.columns) FROM rule_executions
                WHERE (\(status?.rawValue)::TEXT IS NULL OR status = \(status?.rawValue))
                    AND (\(rule)::TEXT IS NULL OR rule = \(rule))
                    AND (\(clientID)::TEXT IS NULL OR client_id = \(clientID))
                    AND (\(ids == nil) OR client_id = ANY(\(ids ?? [])))
                    AND (\(after)::DOUBLE PRECISION IS NULL OR started_at >= \(after))
                ORDER BY id DESC LIMIT \(limit) OFFSET \(offset)
                """, doing: "reading the rules' log"
            ).rows.map(Self.execution)
        }
    }

    private static let columns = """
        id, rule, cause, event_id, client_id, chain_root, chain_depth, status, stop_reason, conditions, actions, \
        started_at, duration_ms
        """

    /// An execution from a row of `columns` (an unknown status, or conditions or actions that are not JSON, read
    /// as SQLite reads them).
    private static func execution(_ row: PostgresRow) throws -> RuleExecution {
        let (
            id, rule, cause, eventID, clientID, chainRoot, chainDepth, status, stopReason, conditions, actions,
            startedAt, duration
        ) = try row.decode(
            (Int64, String, String, Int64?, String, Int64?, Int, String, String?, String, String, Double, Double).self)
        let decoder = JSONDecoder()
        return RuleExecution(
            id: id, rule: rule, cause: cause, eventID: eventID, clientID: clientID, chainRoot: chainRoot,
            chainDepth: chainDepth, status: RuleExecution.Status(rawValue: status) ?? .fired, stopReason: stopReason,
            conditions: (try? decoder.decode([RuleEvaluation.Condition].self, from: Data(conditions.utf8))) ?? [],
            actions: (try? decoder.decode([RuleActionOutcome].self, from: Data(actions.utf8))) ?? [],
            startedAt: Date(timeIntervalSince1970: startedAt), durationMilliseconds: duration)
    }
}
