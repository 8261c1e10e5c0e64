import Foundation

/// The intelligence requests (`intelligence_requests`): `KAMStore.IntelligenceRequestRepository` on SQLite,
/// `KAMPostgres.PostgresIntelligenceRequestStore` on PostgreSQL; `IntelligenceRequestService` reaches them through
/// `Runtime.requestStore`.
///
/// Every implementation holds across processes sharing its database: a status only moves forward, one compare-and-set
/// at a time (queued → running → done | failed, queued → failed), so of many workers starting one queued request
/// exactly one gets `true`, and a request failed by a restart is never finished afterwards.
///
/// For example:
/// ```swift
/// try requests.insert(request)
/// if try requests.start(id: request.id, prompt: "analysis.needs@1", at: now) {
///     _ = try requests.finish(id: request.id, result: answer, prompt: "analysis.needs@1", at: later)
/// }
/// ```
public protocol IntelligenceRequestStoring: Sendable {
    /// Stores a new request (queued); a used id or an unknown client is refused and changes nothing.
    func insert(_ request: IntelligenceRequest) throws

    /// The request `id`, nil when there is none.
    func request(id: String) throws -> IntelligenceRequest?

    /// The newest request about client `clientID` that has a result (by finish, else creation time, then the newest
    /// stored), whoever made it; nil when none has.
    func latestAnswered(clientID: String) throws -> IntelligenceRequest?

    /// Up to `limit` of the requests `requestedBy` made (nil: those made by nobody), newest first (then the newest
    /// stored), skipping the first `offset`.
    func list(requestedBy: String?, limit: Int, offset: Int) throws -> [IntelligenceRequest]

    /// queued → running, stamped `at`, with the prompt's version; false when the request was not queued (another
    /// worker took it, or it ended).
    func start(id: String, prompt: String, at: Date) throws -> Bool

    /// running → done with the answer; false when the request was not running (a restart failed it meanwhile).
    func finish(id: String, result: JSONValue, prompt: String, at: Date) throws -> Bool

    /// queued or running → failed with why; false when the request had already ended.
    func fail(id: String, failure: IntelligenceRequest.Failure, at: Date) throws -> Bool

    /// Fails every request still queued or running last touched (started, else created) before `cutoff`: its worker
    /// died with the process that ran it.
    /// - Returns: how many were failed.
    func failStale(olderThan cutoff: Date, failure: IntelligenceRequest.Failure, at: Date) throws -> Int
}
