import Foundation
import KAMCore

/// The web page's templates (`Resources/web/*.html`), rendered by KAM's own Mustache engine with HTML escaping: every
/// `{{value}}` is escaped, so user and client text shows as text; `{{{value}}}` is used only for markup the server made
/// itself (the SVG charts). Each page inherits `layout.html` (`{{<layout}}` with `title` and `content` blocks).
/// Loaded and compiled once a process.
struct WebTemplates: Sendable {
    /// Every template by name, as partials (the layout is one), and the static files by name.
    let partials: MustachePartials
    let pages: [String: MustacheTemplate]
    let assets: [String: String]

    static let shared: WebTemplates = {
        do {
            guard let folder = ServerResources.folder("web") else { throw CocoaError(.fileNoSuchFile) }
            return try WebTemplates(folder: folder)
        } catch {
            fatalError("the web page's templates are part of the build and did not load: \(error)")
        }
    }()

    init(folder: URL) throws {
        var sources: [String: String] = [:]
        var assets: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) {
            let text = try String(contentsOf: file, encoding: .utf8)
            switch file.pathExtension {
            case "html": sources[file.deletingPathExtension().lastPathComponent] = text
            case "css", "js": assets[file.lastPathComponent] = text
            default: continue
            }
        }
        self.partials = MustachePartials(sources)
        self.pages = try sources.mapValues { try MustacheTemplate($0) }
        self.assets = assets
    }

    /// Page `name` rendered with `context`.
    func render(_ name: String, _ context: JSONValue) -> String {
        guard let template = pages[name] else { preconditionFailure("no web template named '\(name)'") }
        return template.render(context, escaping: .html, partials: partials)
    }
}
