import Foundation

/// The server's bundled resource folders (`Resources/openapi`, `Resources/web`).
enum ServerResources {
    /// Folder `name` of the bundle's `Resources`, or nil when it is missing.
    static func folder(_ name: String) -> URL? {
        // On Linux `resourceURL` may not point inside the resource bundle; ask for the folder by name first.
        if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources") {
            return url
        }
        guard let base = Bundle.module.resourceURL else { return nil }
        let url = base.appendingPathComponent("Resources/\(name)")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }
}
