import Foundation
import GRDB
import KAMCore
import KAMTesting
import Synchronization
import Testing

@testable import KAMStore

/// Large CSV imports: right whatever the spread of rows over clients, checked before the write
/// lock is taken, and never failing the short writes that wait for it.
@Suite("CSV import at scale and under the write lock")
struct CSVImportScaleTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)

    /// What `csv`'s rows of `company` must become.
    static func expected(_ csv: WorkbenchCSV, company: Int) -> (rows: [Int], interests: String, lastContact: String) {
        let rows = (0..<csv.rows).filter { $0 % csv.companies == company }
        var interests: [String] = []
        for n in rows where !interests.contains(csv.interest(ofRow: n)) { interests.append(csv.interest(ofRow: n)) }
        return (rows, interests.joined(separator: "; "), rows.map(csv.lastContact(ofRow:)).max()!)
    }

    @Test("any spread of rows over clients: every client gets exactly its rows, memory joined once", arguments: [
        (3_000, 1, 40), (3_000, 37, 5), (2_000, 2_000, 5), (2_500, 500, 7),
    ])
    func spread(rows: Int, companies: Int, interests: Int) throws {
        let csv = WorkbenchCSV(rows: rows, companies: companies, interestCount: interests)
        let store = try ClientStore.inMemory(now: { Self.now })
        let summary = try ClientImporter(store: store).importCSV(csv.text, file: "gen.csv", mapping: .workbench)
        let noteCount = (0..<rows).map { $0 % 3 + 1 }.reduce(0, +)
        #expect(summary.clients == .init(created: companies))
        #expect(summary.contacts == .init(created: rows))
        #expect(summary.activities.total == noteCount)
        #expect(summary.tasks == .init(created: rows))
        #expect(summary.users == .init(created: WorkbenchCSV.owners.count))
        #expect(summary.memory == .init(created: companies * 2))
        for company in Set([0, companies / 2, companies - 1]) {
            let want = Self.expected(csv, company: company)
            let snapshot = try #require(try store.snapshot(clientID: "company\(company)", activitiesSince: .distantPast))
            #expect(snapshot.client.domain == "company\(company).com")
            #expect(snapshot.contacts.count == want.rows.count)
            #expect(snapshot.memory.first { $0.key == "product-interest" }?.value == want.interests)
            #expect(snapshot.memory.first { $0.key == "last-contact-date" }?.value == want.lastContact)
            // The furthest lead status of its people (Lost counts least).
            let pipeline: [LeadStatus] = [.new, .contacted, .qualified, .proposal, .negotiation, .won, .lost]
            let furthest = want.rows.map { $0 % 7 }.max { ($0 == 6 ? -1 : $0) < ($1 == 6 ? -1 : $1) }!
            #expect(snapshot.client.leadStatus == pipeline[furthest])
        }
        let again = try ClientImporter(store: store).importCSV(csv.text, file: "gen.csv", mapping: .workbench)
        #expect(again.clients == .init(updated: companies))
        #expect(again.contacts == .init(updated: rows))
        #expect(again.activities.created == 0 && again.tasks.created == 0 && again.memory.created == 0)
    }

    /// Runs `body` while another connection to the database at `path` holds its write lock, in a
    /// transaction noted as `operation` (as a long import does).
    static func whileAnotherWrites<T>(_ path: String, _ operation: String, _ body: () throws -> T) throws -> T {
        let holder = try ClientStore.open(path: path, now: { now })
        let hold = HeldOnThread { whileHeld in
            try holder.writeNoting(operation) { _ in whileHeld() }
        }
        try hold.untilHeld(timeout: .seconds(60))
        defer { hold.letGo() }
        return try body()
    }

    @Test("a bad last row is refused before the write lock is taken: even while another process holds it")
    func badLastRowNeedsNoLock() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        let store = try ClientStore.open(path: file.path, now: { Self.now }, busyTimeout: 0.2)
        try Self.whileAnotherWrites(file.path, "a long write") {
            try refuseBadLastRows(store)
        }
    }

    private func refuseBadLastRows(_ store: ClientStore) throws {
        for rows in [1, 2, 500, 3_000] {
            let csv = WorkbenchCSV(rows: rows, companies: 7, badLastRow: true)
            let error = try #require(throws: ImportError.self) {
                try ClientImporter(store: store).importCSV(csv.text, file: "big.csv", mapping: .workbench)
            }
            #expect(error.code == .invalidRows)
            #expect(error.issues.map(\.description) == ["big.csv:\(rows + 1): field 'last_contact_date': '2023-13-45' is not a date (expected YYYY-MM-DD)"])
        }
        // The same file without the bad row does need the lock, and says who holds it when it cannot get it.
        let good = WorkbenchCSV(rows: 10, companies: 2).text
        let busy = try #require(throws: StoreError.self) {
            try ClientImporter(store: store).importCSV(good, file: "good.csv", mapping: .workbench)
        }
        #expect(busy.code == .busy)
    }

    @Test("a writer that gives up names the import holding the database and what to do")
    func busyMessageNamesHolder() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        try ClientStore.open(path: file.path, now: { Self.now }).upsertClient(Client(id: "acme", name: "Acme", createdAt: Self.now))
        let short = try ClientStore.open(path: file.path, now: { Self.now }, busyTimeout: 0.1)
        // Described while the import still holds the database, as `kam` does when the write fails.
        let busy = try Self.whileAnotherWrites(file.path, "kam import big.csv (100000 rows)") {
            let error = #expect(throws: (any Error).self) { try short.remember(clientID: "acme", text: "prefers calls") }
            return try #require(error.flatMap { ClientStore.busyError($0, path: file.path) })
        }
        #expect(busy.code == .busy)
        #expect(busy.code.rawValue == "store.busy")
        #expect(busy.message.contains("`kam import big.csv (100000 rows)` (process \(getpid())) has been writing to it"))
        #expect(busy.message.contains("run the command again when it has finished"))
        // Once the import is over, the same write goes through, and the note is gone.
        #expect(try short.remember(clientID: "acme", text: "prefers calls").outcome == .created)
        #expect(!FileManager.default.fileExists(atPath: ClientStore.writeLockNotePath(file.path)))
        #expect(ClientStore.busyError(StoreError(.invalidValue, "x"), path: file.path) == nil)
    }

    @Test("a note left by a process that no longer runs names nobody")
    func staleNote() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        let note = ClientStore.WriteLockNote(operation: "kam import old.csv", pid: Int32.max, since: Self.now)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        _ = FileManager.default.createFile(atPath: ClientStore.writeLockNotePath(file.path), contents: try encoder.encode(note))
        defer { try? FileManager.default.removeItem(atPath: ClientStore.writeLockNotePath(file.path)) }
        #expect(ClientStore.writeLockNote(file.path) == nil)
        let live = ClientStore.WriteLockNote(operation: "kam import new.csv", pid: getpid(), since: Self.now)
        _ = FileManager.default.createFile(atPath: ClientStore.writeLockNotePath(file.path), contents: try encoder.encode(live))
        #expect(ClientStore.writeLockNote(file.path) == live)
    }

    @Test("30 short writes from other connections during a 20,000-row import: none fails")
    func shortWritesDuringImport() throws {
        let file = TemporaryFile()
        defer { file.remove() }
        let store = try ClientStore.open(path: file.path, now: { Self.now })
        try store.upsertClient(Client(id: "acme", name: "Acme", createdAt: Self.now))
        let bytes = Array(WorkbenchCSV(rows: 20_000, companies: 400).text.utf8)
        let outcome = Mutex<(summary: ImportSummary?, failures: [String])>((nil, []))
        let threads = DispatchGroup()
        // Threads, not tasks: every one of these blocks in SQLite while it waits for the lock.
        threads.enter()
        Thread.detachNewThread {
            do {
                let summary = try ClientImporter(store: store).importCSV(bytes: bytes, file: "big.csv", mapping: .workbench)
                outcome.withLock { $0.summary = summary }
            } catch {
                outcome.withLock { $0.failures.append("import: \(error)") }
            }
            threads.leave()
        }
        // Start the writers once the import holds the lock (or has finished, on a fast machine).
        let note = ClientStore.writeLockNotePath(file.path)
        for _ in 0..<2_000 where !FileManager.default.fileExists(atPath: note) && outcome.withLock({ $0.summary == nil }) {
            Thread.sleep(forTimeInterval: 0.005)
        }
        let path = file.path
        for index in 0..<30 {
            threads.enter()
            Thread.detachNewThread {
                do {
                    // Each its own connection, as separate `kam remember` processes have.
                    let own = try ClientStore.open(path: path, now: { Self.now })
                    try own.remember(clientID: "acme", text: "fact number \(index)", key: "fact-\(index)")
                } catch {
                    let message = ClientStore.busyError(error, path: path)?.message ?? "\(error)"
                    outcome.withLock { $0.failures.append("remember \(index): \(message)") }
                }
                threads.leave()
            }
        }
        threads.wait()
        let (summary, failures) = outcome.withLock { $0 }
        #expect(failures.isEmpty, "\(failures)")
        #expect(summary?.contacts.created == 20_000)
        #expect(try store.snapshot(clientID: "acme", activitiesSince: .distantPast)?.memory.count == 30)
        #expect(!FileManager.default.fileExists(atPath: note))
    }
}
