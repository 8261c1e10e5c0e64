import Foundation
import GRDB
import KAMCore
import KAMTesting
import Testing

@testable import KAMStore

/// A CSV import reads its file a piece at a time, in each of its two passes (`CSVSource`), so that it holds a
/// piece of the file, not all of it. Cutting the file into pieces must change nothing: the same records on the
/// same lines, the same encoding errors on the same lines, whatever the piece size; and a file that changes
/// between the passes is refused with nothing stored.
@Suite("CSV import reads its file in pieces", .timeLimit(.minutes(10)))
struct CSVSourceTests {
    /// A generated CSV text with what crosses a piece's edge: quoted fields over several lines, escaped quotes,
    /// CRLF and LF, blank lines, multi-byte characters, long and empty fields; seeded, so a failure repeats.
    static func hostileCSV(seed: UInt64, records: Int) -> String {
        var random = Dice(seed: seed)
        let pieces = ["plain", "ünïcödé", "日本語", "a,b", "say \"hi\"", "two\nlines", "crlf\r\ninside", "", " spaced ",
            String(repeating: "long", count: 40)]
        var text = random.next(upTo: 3) == 0 ? "\u{FEFF}" : ""
        for _ in 0..<records {
            let fields = (0..<(1 + random.next(upTo: 4))).map { _ -> String in
                let piece = pieces[random.next(upTo: pieces.count)]
                let needsQuotes = piece.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" })
                return needsQuotes || random.next(upTo: 4) == 0
                    ? "\"" + piece.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : piece
            }
            text += fields.joined(separator: ",")
            text += random.next(upTo: 2) == 0 ? "\r\n" : "\n"
            if random.next(upTo: 10) == 0 { text += "\n" }
        }
        if random.next(upTo: 2) == 0, text.hasSuffix("\n") { text.removeLast() }  // sometimes no last line end
        return text
    }

    /// The records of `source`, read as the import's passes read it.
    static func records(_ source: CSVSource) throws -> [CSVReader.Record] {
        var parser = CSVRecordParser()
        var records: [CSVReader.Record] = []
        _ = try source.forEachPiece(file: "t.csv") { piece in
            try parser.parse(piece) { records.append($0) }
            return true
        }
        try parser.finish { records.append($0) }
        return records
    }

    @Test("200 generated files: read from disk in pieces of 1 to 4096 bytes, the records and lines are those of the whole text")
    func piecesReadAsWhole() throws {
        let file = TemporaryFile("pieces.csv")
        defer { file.remove() }
        for seed in 1...200 as ClosedRange<UInt64> {
            let text = Self.hostileCSV(seed: seed, records: 1 + Int(seed % 40))
            try file.write(text)
            let whole = try CSVReader().records(text)
            for pieceSize in [1, 2, 7, 64, 4096] {
                let read = try Self.records(.file(path: file.path, encoding: .utf8, pieceSize: pieceSize))
                #expect(read == whole, "seed \(seed), pieces of \(pieceSize) bytes")
            }
        }
    }

    @Test("bad bytes on any line are refused with the same lines and messages in pieces as whole, in every encoding",
        arguments: ImportEncoding.allCases)
    func encodingErrorsInPieces(encoding: ImportEncoding) throws {
        let file = TemporaryFile("bad-bytes.csv")
        defer { file.remove() }
        var random = Dice(seed: 7)
        for _ in 0..<50 {
            // Lines of ASCII with a byte UTF-8 refuses (0xFF) or Windows-1252 leaves undefined (0x81) on some.
            var bytes: [UInt8] = []
            for line in 0..<(5 + random.next(upTo: 30)) {
                bytes += Array("line \(line),x".utf8)
                if random.next(upTo: 4) == 0 { bytes.append(random.next(upTo: 2) == 0 ? 0xFF : 0x81) }
                bytes += Array("é".utf8)
                bytes.append(0x0A)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: file.path))
            let whole = Result { try encoding.utf8Bytes(bytes, file: "t.csv") }
            for pieceSize in [1, 5, 64] {
                let pieces = Result { try Self.records(.file(path: file.path, encoding: encoding, pieceSize: pieceSize)) }
                switch (whole, pieces) {
                case (.failure(let expected as ImportError), .failure(let got as ImportError)):
                    #expect(got.issues == expected.issues && got.code == expected.code, "pieces of \(pieceSize)")
                case (.success(let text), .success(let records)):
                    #expect(records == (try CSVReader().records(String(decoding: text, as: UTF8.self))), "pieces of \(pieceSize)")
                default:
                    Issue.record("whole: \(whole), in pieces of \(pieceSize): \(pieces)")
                }
            }
        }
    }

    @Test("a file imported from disk stores what the same bytes imported from memory store, in every encoding")
    func fileAndBytesAgree() throws {
        let text = WorkbenchCSV(rows: 300, companies: 40).text.replacingOccurrences(of: "Had a call.", with: "Café à Zürich.")
        for encoding in [ImportEncoding.utf8, .latin1, .windows1252] {
            let file = TemporaryFile("agree.csv")
            defer { file.remove() }
            let encoded: [UInt8] = encoding == .utf8 ? Array(text.utf8) : text.unicodeScalars.map { UInt8($0.value) }
            try Data(encoded).write(to: URL(fileURLWithPath: file.path))
            let fromFile = try ClientStore.inMemory()
            let fromBytes = try ClientStore.inMemory()
            let summary = try ClientImporter(store: fromFile).importFile(at: file.path, mapping: .workbench, encoding: encoding)
            _ = try ClientImporter(store: fromBytes).importCSV(bytes: Array(text.utf8), file: URL(fileURLWithPath: file.path).lastPathComponent, mapping: .workbench)
            #expect(summary.contacts.created == 300)
            for table in ["clients", "contacts", "activities", "tasks", "client_memory"] {
                let sql = "SELECT * FROM \(table) ORDER BY 1"
                let a = try fromFile.writer.read { db in try Row.fetchAll(db, sql: sql).map { $0.description } }
                let b = try fromBytes.writer.read { db in try Row.fetchAll(db, sql: sql).map { $0.description } }
                #expect(a.count == b.count && !a.isEmpty, "\(encoding) \(table)")
                #expect(Set(a.map(Self.withoutTimes)) == Set(b.map(Self.withoutTimes)), "\(encoding) \(table)")
            }
        }
    }

    /// A row's description without its time columns (each import has its own `now`).
    static func withoutTimes(_ row: String) -> String {
        row.replacingOccurrences(of: #"(created_at|updated_at|imported_at|occurred_at_import):[^ ]+"#, with: "", options: .regularExpression)
    }

    @Test("a file changed between the check and the write is refused and nothing of it is stored",
        arguments: ["another company", "the same companies, other text"])
    func changedBetweenPasses(change: String) throws {
        let original = WorkbenchCSV(rows: 50, companies: 10).text
        let changed = change == "another company"
            ? original.replacingOccurrences(of: "@company3.", with: "@elsewhere3.")
            : original.replacingOccurrences(of: "Had a call.", with: "Had two calls.")
        #expect(changed != original)
        // The file is checked as it was, then rewritten before the writes read it again.
        let file = TemporaryFile("c.csv")
        defer { file.remove() }
        try file.write(original)
        let store = try ClientStore.inMemory()
        let (plan, reader) = try CSVImportPlan.make(
            source: .file(path: file.path, encoding: .utf8), mapping: .workbench, file: "c.csv", domains: try CompanyDomains.bundled())
        try file.write(changed)
        #expect(throws: ImportError.self) {
            try store.writeNoting("test") { db in
                try CSVImportWriter.write(
                    source: .file(path: file.path, encoding: .utf8), plan: plan, reader: reader, sink: DatabaseImportSink(db: db), now: Date(),
                    events: .init(importID: "imp-test", at: Date()))
            }
        }
        do {
            _ = try store.writeNoting("test") { db in
                try CSVImportWriter.write(
                    source: .file(path: file.path, encoding: .utf8), plan: plan, reader: reader, sink: DatabaseImportSink(db: db), now: Date(),
                    events: .init(importID: "imp-test", at: Date()))
            }
        } catch let error as ImportError {
            #expect(error.code == .unreadable)
            #expect(error.description.contains("changed while it was being imported"))
        }
        #expect(try store.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clients") } == 0)
    }

    @Test("an import writes with a small page cache and leaves the connection's as it found it, after a refused file too")
    func pageCacheRestored() throws {
        let store = try ClientStore.inMemory()
        try store.writer.write { db in try db.execute(sql: "PRAGMA cache_size = -3000") }
        _ = try ClientImporter(store: store).importCSV(WorkbenchCSV(rows: 20, companies: 5).text, mapping: .workbench)
        #expect(try store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -3000)
        #expect(throws: ImportError.self) {
            try ClientImporter(store: store).importCSV(WorkbenchCSV(rows: 20, companies: 5, badLastRow: true).text, mapping: .workbench)
        }
        #expect(try store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -3000)
    }

    /// Seeded choices (`SplitMix64`), so that a failing instance repeats.
    struct Dice {
        var generator: SplitMix64
        init(seed: UInt64) { generator = SplitMix64(seed: seed) }
        mutating func next(upTo bound: Int) -> Int { Int.random(in: 0..<bound, using: &generator) }
    }
}
