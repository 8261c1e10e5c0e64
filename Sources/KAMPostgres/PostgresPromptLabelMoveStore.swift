import Foundation
import KAMCore
import PostgresNIO

/// The history of prompt label moves in PostgreSQL: `PromptLabelMoveRepository` of the SQLite store. Moves are only
/// inserted (an identity id each), so processes recording at once need nothing more: each move is one row, and
/// a prompt's moves are read in the order of their ids.
public struct PostgresPromptLabelMoveStore: PromptLabelMoveStoring {
    public let store: PostgresStore

    public init(store: PostgresStore) {
        self.store = store
    }

    public func record(_ move: PromptLabelMove) throws {
        try store.transaction(readOnly: false) { session in
            _ = try session.query(
                """
                INSERT INTO prompt_label_moves (prompt_id, label, from_version, to_version, user_id, at)
                VALUES (\(move.promptID), \(move.label), \(move.from), \(move.to), \(move.userID),
                    \(move.at.timeIntervalSince1970))
                """, doing: "recording a move of label \(move.label) of \(move.promptID)")
        }
    }

    public func moves(promptID: String) throws -> [PromptLabelMove] {
        try store.transaction(readOnly: true) { session in
            try session.query(
                """
                SELECT prompt_id, label, from_version, to_version, user_id, at FROM prompt_label_moves
                WHERE prompt_id = \(promptID) ORDER BY id
                """, doing: "reading the label moves of \(promptID)"
            ).rows.map { row in
                let (id, label, from, to, user, at) = try row.decode(
                    (String, String, String?, String?, String?, Double).self)
                return PromptLabelMove(
                    promptID: id, label: label, from: from, to: to, userID: user, at: Date(timeIntervalSince1970: at))
            }
        }
    }
}
