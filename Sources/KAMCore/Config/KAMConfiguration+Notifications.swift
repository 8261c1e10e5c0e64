import Foundation
import Yams

/// Parsing the `notifications:` section of kam.yaml (`NotificationConfiguration`).
extension KAMConfiguration {
    static func readNotifications(_ node: Node, _ path: String, _ reader: YAMLReader) -> NotificationConfiguration {
        var notifications = NotificationConfiguration()
        for (key, value, fieldPath) in reader.mapping(node, path, allowedKeys: ["digest_folder"]) ?? [] where key == "digest_folder" {
            notifications.digestFolder = reader.string(value, fieldPath)
        }
        return notifications
    }

    /// The digest folder resolved against kam.yaml's folder (nil when none is configured).
    public func resolvedDigestFolder() -> String? {
        guard let folder = notifications.digestFolder else { return nil }
        guard !folder.hasPrefix("/"), let sourcePath else { return folder }
        return URL(fileURLWithPath: sourcePath).deletingLastPathComponent().appendingPathComponent(folder).path
    }
}
