import Foundation

extension Client {
    /// This client as `change` edits it by hand (`ClientRecordStoring.updateClient`): its id and creation time kept,
    /// updated at `now`, with the manual lead move (with `reason`) a changed lead status makes.
    public func edited(reason: String, at now: Date, _ change: (inout Client) throws -> Void) rethrows
        -> (client: Client, leadTransition: LeadTransition?)
    {
        var after = self
        try change(&after)
        after.id = id
        after.createdAt = createdAt
        after.updatedAt = now
        return (after, LeadLifecycle.manual(clientID: id, from: leadStatus, to: after.leadStatus, reason: reason, at: now))
    }
}
