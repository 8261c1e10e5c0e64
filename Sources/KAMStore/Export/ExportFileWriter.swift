import Foundation
import KAMCore

/// Writes one JSONL file under a temporary name, hashing as it goes; `commit` fsyncs and renames it
/// to the final name, so an interrupted export never leaves a partial file under a final name.
final class ExportFileWriter {
    let directory: URL
    let finalName: String
    let partialURL: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hasher = ContentHasher()
    private(set) var lines = 0

    init(directory: URL, finalName: String) throws {
        self.directory = directory
        self.finalName = finalName
        self.partialURL = directory.appendingPathComponent(".\(finalName).partial")
        guard FileManager.default.createFile(atPath: partialURL.path, contents: nil) else {
            throw ExportError(.cannotWrite, "cannot create \(partialURL.path): check that the folder is writable")
        }
        do {
            handle = try FileHandle(forWritingTo: partialURL)
        } catch {
            throw ExportError(.cannotWrite, "cannot open \(partialURL.path) for writing", underlying: error)
        }
        buffer.reserveCapacity(1 << 20)
    }

    func write(line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { hasher.update($0) }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ExportError(.cannotWrite, "cannot write \(partialURL.path) (disk full?)", underlying: error)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and renames to the final name; returns the file's SHA-256.
    func commit() throws -> ExportReport.OutputFile {
        try flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw ExportError(.cannotWrite, "cannot fsync \(partialURL.path)", underlying: error)
        }
        let finalURL = directory.appendingPathComponent(finalName)
        guard rename(partialURL.path, finalURL.path) == 0 else {
            throw ExportError(.cannotWrite, "cannot rename \(partialURL.path) to \(finalURL.path) (errno \(errno))")
        }
        return ExportReport.OutputFile(name: finalName, lines: lines, sha256: hasher.hexDigest())
    }

    /// Closes and removes the temporary file.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: partialURL)
    }

    /// fsyncs a folder so the renames in it survive a crash.
    static func syncDirectory(_ url: URL) {
        let fd = open(url.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    /// Writes small bytes atomically: temporary name, fsync, rename.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let partial = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        do {
            try data.write(to: partial)
            let handle = try FileHandle(forWritingTo: partial)
            try handle.synchronize()
            try handle.close()
        } catch {
            throw ExportError(.cannotWrite, "cannot write \(partial.path)", underlying: error)
        }
        guard rename(partial.path, url.path) == 0 else {
            throw ExportError(.cannotWrite, "cannot rename \(partial.path) to \(url.path) (errno \(errno))")
        }
    }
}
