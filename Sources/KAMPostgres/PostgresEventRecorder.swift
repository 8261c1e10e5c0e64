/// The ids of the events appended through a session that carries it (`PostgresSession.appendedEvents`): what a rule's
/// writes appended, for stamping them with the rule's chain without touching events other processes wrote meanwhile.
final class PostgresEventRecorder {
    private(set) var ids: [Int64] = []

    func record(_ id: Int64) {
        ids.append(id)
    }
}
