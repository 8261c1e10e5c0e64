import Foundation
import Testing

/// Online experiments: drafts use each client's sticky variant, and status tallies them.
@Suite("kam experiment end to end")
struct ExperimentEndToEndTests {
    @Test("drafts follow the client's sticky variant and are tallied per variant")
    func stickyVariants() async throws {
        let workspace = try Workspace(copying: try await Seeds.shared.demo())
        let start = try await workspace.kam(
            "experiment", "start", "fu-ab", "--prompt", "draft.follow-up-email", "--variants", "production,candidate",
            "--split", "50/50")
        #expect(start.exitCode == 0, "\(start)")
        var seen: [String: String] = [:]
        for client in ["acme", "globex", "hooli", "initech", "soylent", "umbrella", "wayne", "acme", "wayne"] {
            let draft = try #require(try await workspace.kam("draft", "new", client, "--json").jsonObject)
            let variant = try #require(draft["variant"] as? String, "\(draft)")
            #expect(draft["experimentID"] as? String == "fu-ab")
            #expect(draft["promptVersion"] as? String == (variant == "candidate" ? "2" : "1"), "\(draft)")
            if let earlier = seen[client] { #expect(earlier == variant, "the variant of \(client) is sticky") }
            seen[client] = variant
        }
        #expect(Set(seen.values).count == 2, "seven clients at 50/50 land in both variants: \(seen)")
        let explicit = try #require(try await workspace.kam("draft", "new", "acme", "--prompt", "draft.follow-up-email@1", "--json").jsonObject)
        #expect(explicit["variant"] == nil, "an explicit version is outside the experiment")
        let status = try await workspace.kam("experiment", "status", "fu-ab")
        #expect(status.exitCode == 0, "\(status)")
        #expect(status.stdout.contains("production") && status.stdout.contains("candidate"), "\(status)")
    }
}
