import Foundation
import GRDB
import Testing

@testable import KAMStore

@Suite("StatementMemo")
struct StatementMemoTests {
    @Test("inside using(db), a literal's statement is prepared once and kept for that connection only")
    func keptByLiteralForItsConnection() throws {
        let queue = try DatabaseQueue()
        let other = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (x INTEGER)")
            let outside = try StatementMemo.statement(db, "INSERT INTO t (x) VALUES (?)")
            try StatementMemo.using(db) {
                let first = try StatementMemo.statement(db, "INSERT INTO t (x) VALUES (?)")
                try first.execute(arguments: [1])
                let again = try StatementMemo.statement(db, "INSERT INTO t (x) VALUES (?)")
                #expect(first === again)
                try again.execute(arguments: [2])
                // Another literal of other text is another statement.
                let count = try StatementMemo.statement(db, "SELECT count(*) FROM t")
                #expect(count !== first)
                #expect(try Int.fetchOne(count) == 2)
                // Another connection inside the same `using` gets its own statement, not this one's.
                try other.write { otherDB in
                    try otherDB.execute(sql: "CREATE TABLE t (x INTEGER)")
                    let theirs = try StatementMemo.statement(otherDB, "INSERT INTO t (x) VALUES (?)")
                    #expect(theirs !== first)
                    try theirs.execute(arguments: [3])
                    #expect(try Int.fetchOne(otherDB, sql: "SELECT sum(x) FROM t") == 3)
                }
            }
            // Outside, GRDB's own cache answers, as it did before `using`.
            try outside.execute(arguments: [4])
            #expect(try Int.fetchOne(db, sql: "SELECT sum(x) FROM t") == 7)
        }
    }
}
