import Foundation
import KAMTesting
import Testing

@testable import KAMStore

/// The import's second pass reads rows on another thread (`CSVRowPipe`): every row arrives once, in file
/// order, and a writer that fails can stop the reader at any point without waiting for the whole file.
@Suite("CSV row pipe between the reading thread and the writer", .timeLimit(.minutes(10)))
struct CSVRowPipeTests {
    /// A pipe over a generated workbench file of `rows` data rows.
    static func pipe(rows: Int) throws -> CSVRowPipe {
        let bytes = Array(WorkbenchCSV(rows: rows, companies: max(1, rows / 7)).text.utf8)
        var header: CSVReader.Record?
        try CSVReader().forEachRecord(bytes) { record in if header == nil { header = record } }
        let reader = try CSVRowReader(
            header: try #require(header), mapping: .workbench, file: "pipe.csv", domains: try CompanyDomains.bundled())
        return CSVRowPipe(source: .bytes(bytes), file: "pipe.csv", reader: reader)
    }

    @Test("every row arrives once and in order, whatever the file's size against the batch and queue sizes",
        arguments: [0, 1, 63, 64, 65, 256, 257, 1_000])
    func inOrder(rows: Int) throws {
        let pipe = try Self.pipe(rows: rows)
        var lines: [Int] = []
        while let batch = pipe.take() {
            for item in batch {
                guard case .row(let row) = item else {
                    Issue.record("a good file gave \(item)")
                    continue
                }
                lines.append(row.line)
            }
        }
        #expect(lines == Array(2..<(2 + rows)))
        #expect(pipe.take() == nil)
    }

    @Test("a writer that stops after any number of batches stops the reader, which lets go at once",
        arguments: [0, 1, 2, 5, 9])
    func cancelled(after taken: Int) throws {
        // 5,000 rows are 79 batches: far more than the 4 the reader may queue, so it is blocked when cancelled.
        let pipe = try Self.pipe(rows: 5_000)
        var seen = 0
        for _ in 0..<taken { seen += pipe.take()?.count ?? 0 }
        pipe.cancel()
        // What was queued before the cancel may still be taken; nothing after it.
        var rest = 0
        while let batch = pipe.take() { rest += batch.count }
        #expect(seen + rest < 5_000)
        #expect(rest <= 4 * 64)
    }
}
