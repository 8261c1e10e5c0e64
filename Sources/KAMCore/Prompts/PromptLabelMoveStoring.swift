/// The history of prompt label moves made through the team server (the prompt folder's `labels.yaml` holds only
/// where each label points now).
///
/// `PromptLabelMoveRepository` (KAMStore) keeps it in the SQLite file, `PostgresPromptLabelMoveStore`
/// (KAMPostgres) in PostgreSQL.
public protocol PromptLabelMoveStoring: Sendable {
    /// Records one move.
    func record(_ move: PromptLabelMove) throws
    /// The moves of a prompt's labels, oldest first.
    func moves(promptID: String) throws -> [PromptLabelMove]
}
