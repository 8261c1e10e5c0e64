import Foundation

/// The second pass's rows, read on another thread while the writer inserts the ones before: reading
/// a row (fields, trimming, parsing, the company-domain lookup) is about as much work as writing it,
/// and the machine has a second core. Rows go over in batches under a condition lock, at most
/// `depth` batches waiting, so memory stays bounded whatever the file's size.
///
/// Hand-written over `NSCondition`: an `AsyncStream` would need the writer, which runs inside a
/// synchronous GRDB transaction, to become async.
final class CSVRowPipe: @unchecked Sendable {
    /// What the reading thread found at one record.
    enum Item {
        case row(CSVRow)
        /// The row the first pass found good is not (the file changed in between).
        case invalid(ImportIssues)
        case malformed(CSVReader.SyntaxError)
    }

    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var finished = false
    private var cancelled = false
    private let depth = 4
    private static let batchSize = 64
    /// Work on each good row that needs no database, done on the reading thread (the row's ids).
    private let prepare: (inout CSVRow) -> Void

    /// Starts reading the data records of `bytes` (the header skipped) on a new thread, handing each
    /// good row to `prepare` there.
    init(bytes: [UInt8], reader: CSVRowReader, prepare: @escaping (inout CSVRow) -> Void = { _ in }) {
        self.prepare = prepare
        Thread.detachNewThread { [self] in
            read(bytes, reader: reader)
        }
    }

    /// The next batch of items in file order; nil after the last.
    func take() -> [Item]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    /// Stops the reading thread (the writer failed) and waits until it has let go of the file.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    private func read(_ bytes: [UInt8], reader: CSVRowReader) {
        var reader = reader
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        var header = true
        var stopped = false
        do {
            try CSVReader().forEachRecord(bytes) { record in
                guard !stopped else { return }
                guard !header else {
                    header = false
                    return
                }
                var issues = ImportIssues()
                if var row = reader.read(record, issues: &issues) {
                    prepare(&row)
                    batch.append(.row(row))
                } else {
                    batch.append(.invalid(issues))
                    stopped = true
                }
                if batch.count >= Self.batchSize || stopped {
                    if !put(batch) { stopped = true }
                    batch = []
                    batch.reserveCapacity(Self.batchSize)
                }
            }
        } catch {
            batch.append(.malformed(error))
        }
        if !batch.isEmpty { _ = put(batch) }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Hands a batch over, waiting while `depth` are queued; false once the writer has stopped.
    private func put(_ batch: [Item]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= depth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }
}
