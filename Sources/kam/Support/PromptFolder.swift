import ArgumentParser
import Foundation
import KAMCore
import KAMResources

/// `--prompts`: where the prompt files are (`KAM_PROMPTS`, `./Prompts`, then the copy inside kam).
struct PromptFolder: ParsableArguments {
    @Option(name: .long, help: "Prompt folder (default: $KAM_PROMPTS, ./Prompts, or the set shipped with kam).")
    var prompts: String?

    var url: URL { PromptRegistry.resolveDirectory(explicit: prompts) }
}
