import Foundation

/// A unique path in the temporary folder, removed (with SQLite's -wal and -shm) by `remove()`.
struct TemporaryFile {
    let path: String

    init(_ name: String = "kam-test.sqlite") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    func write(_ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
