import Foundation

/// A CSV import's rows, read on another thread while the importing thread uses the ones before: in the
/// second pass the writer inserts them; in the first, the plan checks and counts them (reading a row —
/// fields, trimming, parsing, the company-domain lookup — is most of that pass, and the machine has a
/// second core; in the first pass, whenever the planning thread has next to nothing queued, the reading thread
/// leaves it a batch of records to read, so that the two threads share the reading). Rows go over in batches under a
/// condition lock, at most `depth` batches waiting, so memory stays bounded whatever the file's size.
///
/// Hand-written over `NSCondition`: an `AsyncStream` would need the writer, which runs inside a
/// synchronous GRDB transaction, to become async.
final class CSVRowPipe: @unchecked Sendable {
    /// What the reading thread found at one record.
    enum Item {
        /// The first pass: the reader made from the header record (the first item).
        case header(CSVRowReader)
        /// The first pass: the header does not fit the mapping (the last item but a `malformed`: the rest of
        /// the file is still read for its syntax).
        case headerRefused(any Error)
        case row(CSVRow)
        /// The first pass: a record left for the taking thread to read through the header's reader, while it would
        /// otherwise wait (the reading thread then parses the next ones): the two threads share the rows' reading.
        case record(CSVReader.Record)
        /// A row with bad values. In the second pass, the last item: the row the first pass found good
        /// is not (the file changed in between).
        case invalid(ImportIssues)
        case malformed(CSVReader.SyntaxError)
        /// The file could not be read, or its bytes are not text in its encoding (the last item).
        case refused(ImportError)
    }

    private let condition = NSCondition()
    private var batches: [[Item]] = []
    private var finished = false
    private var cancelled = false
    private let depth = 4
    private static let batchSize = 64
    /// Work on each good row that needs no database, done on the reading thread (the row's ids).
    private let prepare: (inout CSVRow) -> Void
    /// Whether reading stops at the first invalid row (the second pass) or goes on to report them all (the first).
    private let stopsAtInvalid: Bool
    private var readDigest: Int?
    /// Batches the taking thread is done with, for the reading thread to release (`recycle`).
    private var spent: [[Item]] = []

    /// The second pass: starts reading the data records of `source` (the header skipped) on a new thread,
    /// handing each good row to `prepare` there; reading stops at the first invalid row.
    init(source: CSVSource, file: String, reader: CSVRowReader, prepare: @escaping (inout CSVRow) -> Void = { _ in }) {
        self.prepare = prepare
        stopsAtInvalid = true
        Thread.detachNewThread { [self] in
            read(source, file: file, reader: reader, header: nil)
        }
    }

    /// The first pass: starts reading `source` on a new thread, the header record through `header` (whose reader
    /// is the first item, or whose error the only one), then every data record, invalid ones included.
    init(source: CSVSource, file: String, header: @escaping @Sendable (CSVReader.Record) throws -> CSVRowReader) {
        prepare = { _ in }
        stopsAtInvalid = false
        Thread.detachNewThread { [self] in
            read(source, file: file, reader: nil, header: header)
        }
    }

    /// The digest of the bytes read (`CSVSource.forEachPiece`), once `take` has answered nil; nil when the reading
    /// stopped early or failed.
    var digest: Int? {
        condition.lock()
        defer { condition.unlock() }
        return readDigest
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

    /// Hands back a batch the taking thread is done with: the reading thread releases it when it next hands a batch over.
    /// Freeing a batch's rows (some 30 strings a row) was 5% of a CSV import's writing thread, and 15% of the planning
    /// thread's first pass; the reading thread of the second pass has time to spare.
    func recycle(_ batch: consuming [Item]) {
        condition.lock()
        spent.append(batch)
        condition.unlock()
    }

    /// Stops the reading thread (the writer failed) and waits until it has let go of the file.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
        while !finished { condition.wait() }
    }

    /// Reads the records of `source`: the first through `header` when given, else skipped as the header.
    private func read(_ source: CSVSource, file: String, reader: CSVRowReader?, header: ((CSVReader.Record) throws -> CSVRowReader)?) {
        var reader = reader
        var batch: [Item] = []
        batch.reserveCapacity(Self.batchSize)
        var isHeader = true
        var stopped = false
        var writerGone = false  // the writer stopped taking batches
        var parser = CSVRecordParser()
        var syntaxError: CSVReader.SyntaxError?
        // The first pass leaves a batch's records to the taking thread while that thread has next to nothing queued.
        var leavesReading = false
        let handle = { (record: CSVReader.Record) in
            guard !stopped else { return }
            guard !isHeader else {
                isHeader = false
                if let header {
                    do {
                        reader = try header(record)
                        batch.append(.header(reader!))
                    } catch {
                        batch.append(.headerRefused(error))
                        stopped = true
                    }
                }
                return
            }
            var issues = ImportIssues()
            if leavesReading {
                batch.append(.record(record))
            } else if var row = reader!.read(record, issues: &issues) {
                self.prepare(&row)
                batch.append(.row(row))
            } else {
                batch.append(.invalid(issues))
                stopped = self.stopsAtInvalid
            }
            if batch.count >= Self.batchSize || stopped {
                if let queued = self.put(batch) {
                    leavesReading = !self.stopsAtInvalid && queued <= 1
                } else {
                    (stopped, writerGone) = (true, true)
                }
                batch = []
                batch.reserveCapacity(Self.batchSize)
            }
        }
        var digest: Int?
        do {
            let read = try source.forEachPiece(file: file) { piece in
                // The first pass reads to the end whatever it meets (after a refused header for the syntax, after a
                // syntax error for the encoding check's list of bad lines); the second stops at its first problem.
                guard !writerGone, syntaxError == nil || !stopsAtInvalid else { return false }
                if syntaxError == nil {
                    do throws(CSVReader.SyntaxError) {
                        try parser.parse(piece, handle)
                    } catch {
                        syntaxError = error
                    }
                }
                return !writerGone && !(stopsAtInvalid && (stopped || syntaxError != nil))
            }
            if syntaxError == nil && !(stopsAtInvalid && stopped) && !writerGone {
                do throws(CSVReader.SyntaxError) {
                    try parser.finish(handle)
                    digest = read
                } catch {
                    syntaxError = error
                }
            }
            if let syntaxError { batch.append(.malformed(syntaxError)) }
        } catch let error as ImportError {
            batch.append(.refused(error))
        } catch {
            batch.append(.refused(ImportError(.unreadable, issues: [.init(file: file, message: "cannot read the file: \(error)")])))
        }
        if !batch.isEmpty { _ = put(batch) }
        condition.lock()
        readDigest = digest
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Hands a batch over, waiting while `depth` are queued: how many are queued then; nil once the writer has stopped.
    private func put(_ batch: [Item]) -> Int? {
        condition.lock()
        while batches.count >= depth && !cancelled { condition.wait() }
        let released = spent
        spent = []
        let queued: Int?
        if cancelled {
            queued = nil
        } else {
            batches.append(batch)
            condition.broadcast()
            queued = batches.count
        }
        condition.unlock()
        withExtendedLifetime(released) {}  // freed here, outside the lock
        return queued
    }
}
