import Foundation

/// Where each pass of a CSV import reads the file's text: bytes already in memory (an upload), or the file
/// itself, read again by each pass a piece at a time, so that an import holds a piece of the file rather than
/// all of it (issue #10: peak memory at most twice the file's size, whatever its size).
///
/// Both passes must read the same bytes: the first checks them and plans the writes, the second writes them.
/// Each reading returns a digest of what it read; the writer compares the two and refuses a file that changed in
/// between (its transaction then stores nothing).
enum CSVSource: Sendable {
    /// UTF-8 text, already checked.
    case bytes([UInt8])
    /// A file read in `encoding`, checked and converted a piece at a time: `pieceSize` bytes a read (a line longer
    /// than that makes the piece grow), small enough beside the import's other memory, large enough that the reads
    /// cost nothing beside the parsing.
    case file(path: String, encoding: ImportEncoding, pieceSize: Int = 256 * 1024)

    /// Hands `body` the text as UTF-8 pieces, in order, each ending at a line end (but the last); `body` returns
    /// false to stop (a first pass that met a syntax error goes on to the end, for the encoding check's list of bad
    /// lines, and ignores the rest). Returns a digest of the bytes read (equal for equal bytes within one process).
    ///
    /// - Throws: `ImportError` `.unreadable` when the file cannot be read, `.invalidEncoding` (after reading all of it,
    ///   so that every bad line is listed) when its bytes are not text in its encoding; `body`'s errors.
    func forEachPiece(file: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> Int {
        var digest = Hasher()
        switch self {
        case .bytes(let bytes):
            // An array cannot change between the passes: nothing to hash (the digest stays the empty one's).
            _ = try bytes.withUnsafeBufferPointer { try body($0) }
        case .file(let path, let encoding, let pieceSize):
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw Self.unreadable(path) }
            defer { close(descriptor) }
            var check = EncodingCheck(encoding: encoding, file: file)
            var buffer = [UInt8](repeating: 0, count: max(pieceSize, 1))
            var filled = 0
            var wanted = true
            var atEnd = false
            while !atEnd {
                if filled == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
                let got = buffer.withUnsafeMutableBufferPointer { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
                if got < 0 {
                    if errno == EINTR { continue }
                    throw Self.unreadable(path)
                }
                filled += got
                atEnd = got == 0
                // A piece ends after the last line end read (or at the end of the file); the rest waits for more.
                let end = atEnd ? filled : (buffer[..<filled].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
                guard end > 0 else { continue }
                try buffer.withUnsafeBufferPointer { all in
                    let piece = UnsafeBufferPointer(rebasing: all[..<end])
                    digest.combine(bytes: UnsafeRawBufferPointer(piece))
                    wanted = try check.utf8(piece) { try body($0) }
                }
                if !wanted { break }
                buffer.withUnsafeMutableBufferPointer { all in
                    let rest = filled - end
                    if rest > 0 { (all.baseAddress! + 0).update(from: all.baseAddress! + end, count: rest) }
                }
                filled -= end
            }
            if let error = check.error { throw error }
        }
        return digest.finalize()
    }

    private static func unreadable(_ path: String) -> ImportError {
        ImportError(.unreadable, issues: [.init(file: path, message: "cannot read the file (\(String(cString: strerror(errno)))); check the path and its permissions")])
    }
}
