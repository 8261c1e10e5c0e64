import Foundation

/// A unique path in the temporary folder, removed (with SQLite's -wal and -shm) by `remove()`.
///
/// ```swift
/// let file = TemporaryFile("kam.sqlite")
/// defer { file.remove() }
/// let store = try ClientStore.open(path: file.path)
/// ```
public struct TemporaryFile: Sendable {
    public let path: String

    public init(_ name: String = "kam-test.sqlite") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    public func write(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    public func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
