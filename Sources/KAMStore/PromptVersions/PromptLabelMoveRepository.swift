import Foundation
import GRDB
import KAMCore

/// The history of prompt label moves made through the team server: which label of which prompt went from
/// which version to which, who moved it and when.
public struct PromptLabelMoveRepository: PromptLabelMoveStoring {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    public func record(_ move: PromptLabelMove) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO prompt_label_moves (prompt_id, label, from_version, to_version, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [move.promptID, move.label, move.from, move.to, move.userID, move.at.timeIntervalSince1970])
        }
    }

    /// The moves of a prompt's labels, oldest first.
    public func moves(promptID: String) throws -> [PromptLabelMove] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM prompt_label_moves WHERE prompt_id = ? ORDER BY id", arguments: [promptID]
            ).map {
                PromptLabelMove(
                    promptID: $0["prompt_id"], label: $0["label"], from: $0["from_version"], to: $0["to_version"],
                    userID: $0["user_id"], at: Date(timeIntervalSince1970: $0["at"]))
            }
        }
    }
}
