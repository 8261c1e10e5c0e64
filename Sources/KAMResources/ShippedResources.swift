import Foundation

/// The one place KAM's shipped resources are found: the resource bundle of this target, a copy of
/// `Sources/KAMResources/Resources` (`.copy("Resources")` keeps the folder structure).
///
/// KAMCore does no I/O: its types take the bytes (`Tokenizer(encoding:table:)`, `PriceTable.decode(json:)`,
/// `NameLexicon(firstNames:...)`, `PromptRegistry(source:)`); the extensions in this target load them from here.
public enum ShippedResources {
    /// A shipped file or folder by its path below `Resources/` (`prices/prices.json`), nil when it is missing.
    public static func url(_ path: String) -> URL? {
        let parts = path.split(separator: "/").map(String.init)
        guard let name = parts.last else { return nil }
        let folder = (["Resources"] + parts.dropLast()).joined(separator: "/")
        // On Linux `resourceURL` may not point inside the resource bundle; ask for the file by name first.
        if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: folder) { return url }
        guard let base = Bundle.module.resourceURL else { return nil }
        let url = base.appendingPathComponent(folder).appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The shipped prompt set (a byte-identical copy of the repository's `Prompts/`).
    public static var promptsDirectory: URL? { url("Prompts") }
}
