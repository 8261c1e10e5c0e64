import Foundation
import Yams

/// Parsing the `notifications:` and `exports:` sections of kam.yaml (`NotificationConfiguration`,
/// `ExportConfiguration`), and their folders resolved against the file's own.
extension KAMConfiguration {
    static func readNotifications(_ node: Node, _ path: String, _ reader: YAMLReader) -> NotificationConfiguration {
        var notifications = NotificationConfiguration()
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["digest_folder"]) ?? [] where key == "digest_folder" {
            notifications.digestFolder = reader.string(value, fieldPath)
        }
        return notifications
    }

    static func readExports(_ node: Node, _ path: String, _ reader: YAMLReader) -> ExportConfiguration {
        var exports = ExportConfiguration()
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["weekly_folder", "key_file", "format"]) ?? [] {
            switch key {
            case "weekly_folder": exports.weeklyFolder = reader.string(value, fieldPath)
            case "key_file": exports.keyFile = reader.string(value, fieldPath)
            case "format": if let format = reader.oneOf(value, fieldPath, ExportFormat.self) { exports.format = format }
            default: break
            }
        }
        return exports
    }

    /// The digest folder resolved against kam.yaml's folder (nil when none is configured).
    public func resolvedDigestFolder() -> String? {
        notifications.digestFolder.map(resolved)
    }

    /// The weekly export's folder resolved against kam.yaml's folder (nil when none is configured).
    public func resolvedWeeklyExportFolder() -> String? {
        exports.weeklyFolder.map(resolved)
    }

    /// The weekly export's key file resolved against kam.yaml's folder (nil when none is configured).
    public func resolvedExportKeyFile() -> String? {
        exports.keyFile.map(resolved)
    }

    /// `path` as a path to open: a relative one from kam.yaml's folder, or as it is without a file.
    func resolved(_ path: String) -> String {
        guard !path.hasPrefix("/"), let sourcePath else { return path }
        return URL(fileURLWithPath: sourcePath).deletingLastPathComponent().appendingPathComponent(path).path
    }
}
