import Foundation

/// Where a `PromptRegistry` reads its prompts from and writes its labels to: a folder on disk in the rings
/// (`FilePromptSource` in KAMResources), a dictionary in tests. The core itself never touches files.
///
/// Layout, whatever holds it: one folder per prompt id holding `<version>.prompty` files, optional sibling
/// files (an output schema) and an optional `labels.yaml`.
public protocol PromptSource: Sendable {
    /// Where the prompts are, as messages show it (a folder path).
    var location: String { get }

    /// The names of the prompt folders (hidden names left out), in any order.
    func promptFolders() throws(PromptError) -> [String]

    /// The file names in one prompt folder (hidden names left out); nil when there is no such folder.
    func fileNames(in promptID: String) throws(PromptError) -> [String]?

    /// The bytes of one file of a prompt folder; nil when it does not exist.
    func read(_ name: String, in promptID: String) throws(PromptError) -> Data?

    /// Replaces the prompt's `labels.yaml` with `text`, atomically.
    func writeLabels(_ text: String, for promptID: String) throws(PromptError)

    /// A file of a prompt folder as messages show it (relative to the working directory when below it).
    func displayPath(_ name: String, in promptID: String) -> String
}
