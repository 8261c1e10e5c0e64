import Foundation
import KAMCore
import KAMStore

extension TaskService {
    /// One page of the tasks of the clients `user` may see, pending first by due date, optionally of one client
    /// and in one status.
    ///
    /// - Throws: `RuntimeError` `.notFound` (`client.not-found`) when `clientID` names no client the user may see.
    public func list(clientID: String?, status: TaskStatus?, page: PageRequest, as user: ActingUser) throws
        -> Page<ClientTask>
    {
        if let clientID { try runtime.requireInScope(clientID: clientID, as: user) }
        var tasks = try runtime.clientRecords.tasks(
            clientID: clientID, assignee: nil, includeClosed: status.map { !$0.isPending } ?? true, limit: Int.max,
            owners: try runtime.scope(for: user).userIDs)
        if let status { tasks = tasks.filter { $0.status == status } }
        return page.page(of: tasks)
    }
}
