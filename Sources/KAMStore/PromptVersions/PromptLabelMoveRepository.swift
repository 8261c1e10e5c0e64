import Foundation
import GRDB

/// The history of prompt label moves made through the team server: which label of which prompt went from
/// which version to which, who moved it and when.
public struct PromptLabelMoveRepository: Sendable {
    public let writer: any DatabaseWriter

    public init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// One recorded move.
    public struct Move: Codable, Sendable, Hashable {
        public var promptID: String
        public var label: String
        /// The version the label served before (nil when the label is new).
        public var from: String?
        public var to: String?
        public var userID: String?
        public var at: Date

        public init(promptID: String, label: String, from: String?, to: String?, userID: String?, at: Date) {
            self.promptID = promptID
            self.label = label
            self.from = from
            self.to = to
            self.userID = userID
            self.at = at
        }

        enum CodingKeys: String, CodingKey {
            case label, from, to, at
            case promptID = "prompt_id"
            case userID = "user_id"
        }
    }

    public func record(_ move: Move) throws {
        try writer.write { db in
            try db.execute(
                sql: "INSERT INTO prompt_label_moves (prompt_id, label, from_version, to_version, user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [move.promptID, move.label, move.from, move.to, move.userID, move.at.timeIntervalSince1970])
        }
    }

    /// The moves of a prompt's labels, oldest first.
    public func moves(promptID: String) throws -> [Move] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM prompt_label_moves WHERE prompt_id = ? ORDER BY id", arguments: [promptID]
            ).map {
                Move(
                    promptID: $0["prompt_id"], label: $0["label"], from: $0["from_version"], to: $0["to_version"],
                    userID: $0["user_id"], at: Date(timeIntervalSince1970: $0["at"]))
            }
        }
    }
}
