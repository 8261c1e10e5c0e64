import Foundation
import KAMCore
import KAMResources
import KAMRuntime
import KAMStore
import Testing

@Suite struct ExperimentServiceTests {
    static let maria = ActingUser("maria")
    static let plan = ExperimentService.Plan(
        id: "fu-ab", promptID: "draft.follow-up-email", variants: "production,candidate", split: "50/50")

    /// A copy of the shipped prompts a test may change (promoting writes `labels.yaml`).
    static func promptsCopy() throws -> URL {
        let shipped = PromptRegistry.bundledDirectory ?? PromptRegistry.resolveDirectory()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("kam-prompts-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: shipped, to: copy)
        return copy
    }

    @Test func draftsUseEachClientsStickyVariantAndTheReportTalliesThem() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        let experiment = try runtime.experiments.start(Self.plan, as: Self.maria)
        #expect(experiment.status == .running && experiment.startedAt == LedgerTestWorld.start)
        #expect(experiment.variants == ["production", "candidate"] && experiment.split == [50, 50])

        let clients = try runtime.sqliteStore!.listClients().filter(\.consentAIAnalysis)
        var drafts: [Draft] = []
        for round in 0..<2 {
            for client in clients {
                let draft = try await runtime.drafts.generate(client: client, kind: .followUp, hint: nil, as: Self.maria)
                #expect(draft.experimentID == "fu-ab")
                let variant = experiment.variant(forClient: client.id)
                #expect(draft.variant == variant, "round \(round): \(client.id) keeps its variant")
                #expect(draft.promptVersion == (variant == "candidate" ? "2" : "1"))
                drafts.append(draft)
            }
        }
        let variants = Set(drafts.compactMap(\.variant))
        #expect(variants == ["production", "candidate"], "the demo clients land in both variants")
        let outside = try await runtime.drafts.generate(
            client: clients[0], kind: .followUp, hint: nil, reference: "draft.follow-up-email@1", as: Self.maria)
        #expect(outside.experimentID == nil && outside.variant == nil, "an explicit version is outside the experiment")

        // Decide the drafts in turn: approve, reject, edit and approve, leave pending.
        var expected: [String: (approved: Int, rejected: Int, edited: Int, pending: Int)] = [:]
        for (index, draft) in drafts.enumerated() {
            let variant = draft.variant!
            var counts = expected[variant] ?? (0, 0, 0, 0)
            switch index % 4 {
            case 0:
                try runtime.drafts.approve(draft.id, as: Self.maria)
                counts.approved += 1
            case 1:
                try runtime.drafts.reject(draft.id, reason: "off tone", as: Self.maria)
                counts.rejected += 1
            case 2:
                let content = DraftContent(subject: "Re: next steps", body: "Shorter, please.\n", callToAction: "")
                try runtime.drafts.edit(draft.id, to: content, as: Self.maria)
                try runtime.drafts.approve(draft.id, as: Self.maria)
                counts.edited += 1
            default:
                counts.pending += 1
            }
            expected[variant] = counts
        }

        let report = try runtime.experiments.report("fu-ab")
        #expect(report.experiment == experiment)
        #expect(report.tally.variants.map(\.variant) == ["production", "candidate"])
        for tallied in report.tally.variants {
            let mine = drafts.filter { $0.variant == tallied.variant }
            let counts = try #require(expected[tallied.variant])
            #expect(tallied.drafts == mine.count, "\(tallied.variant)")
            #expect(tallied.clients == Set(mine.map(\.clientID)).count)
            #expect(tallied.approvedUnedited == counts.approved)
            #expect(tallied.rejected == counts.rejected)
            #expect(tallied.approvedEdited == counts.edited)
            #expect(tallied.pending == counts.pending)
            #expect((tallied.meanEditDistance ?? 0) > 0 || counts.edited == 0)
        }
        #expect(try runtime.experiments.reports().map(\.experiment.id) == ["fu-ab"])
    }

    @Test func startRefusesBadPlansAndASecondExperimentOnThePrompt() async throws {
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime()
        let bad: [(variants: String, split: String?, code: ExperimentError.Code)] = [
            ("production", nil, .invalid), ("1,1", nil, .invalid), ("1,2", "60/60", .invalid), ("1,2", "50/x", .invalid),
            ("1,2", "100", .invalid),
        ]
        for plan in bad {
            #expect("\(plan)") {
                try runtime.experiments.start(
                    .init(id: "x", promptID: "draft.check-in", variants: plan.variants, split: plan.split), as: Self.maria)
            } throws: { error in
                (error as? ExperimentError)?.code == plan.code
            }
        }
        #expect(throws: PromptError.self, "a variant that names no version of the prompt") {
            try runtime.experiments.start(
                .init(id: "x", promptID: "draft.check-in", variants: "1,no-such-label"), as: Self.maria)
        }
        #expect(try runtime.experiments.list().isEmpty, "nothing refused was stored")

        let started = try runtime.experiments.start(
            .init(id: "three", promptID: "draft.follow-up-email", variants: "1,2,candidate"), as: Self.maria)
        #expect(started.split == [34, 33, 33], "an even split without --split")
        #expect {
            try runtime.experiments.start(Self.plan, as: Self.maria)
        } throws: { error in
            (error as? ExperimentError)?.code == .conflict
        }
        #expect {
            try runtime.experiments.start(.init(id: "three", promptID: "draft.follow-up-email", variants: "1,2"), as: Self.maria)
        } throws: { error in
            (error as? ExperimentError)?.code == .alreadyExists
        }
    }

    @Test func anUnknownExperimentIsARuntimeNotFound() async throws {
        let runtime = try await LedgerTestWorld().runtime()
        #expect(try runtime.experiments.reports().isEmpty)
        let calls: [(String, () throws -> Any)] = [
            ("report", { try runtime.experiments.report("nope") }),
            ("stop", { try runtime.experiments.stop("nope", as: Self.maria) }),
            ("promote", { try runtime.experiments.promote("nope", variant: "1", as: Self.maria) }),
        ]
        for (name, call) in calls {
            #expect(Comment(rawValue: name)) {
                try call()
            } throws: { error in
                let error = error as? RuntimeError
                return error?.kind == .notFound && error?.code == "experiment.not-found"
            }
        }
    }

    @Test func stoppedExperimentsLeaveNewDraftsOnProduction() async throws {
        let world = try LedgerTestWorld()
        try await world.runtime().experiments.start(Self.plan, as: Self.maria)
        let later = LedgerTestWorld.start.addingTimeInterval(3_600)
        let runtime = try await world.runtime(at: later)
        let stopped = try runtime.experiments.stop("fu-ab", as: Self.maria)
        #expect(stopped.status == .stopped && stopped.stoppedAt == later)
        #expect(try runtime.experiments.experiment("fu-ab").status == .stopped)
        #expect {
            try runtime.experiments.stop("fu-ab", as: Self.maria)
        } throws: { error in
            (error as? ExperimentError)?.code == .notRunning
        }
        let draft = try await runtime.drafts.generate(
            client: try runtime.client("acme"), kind: .followUp, hint: nil, as: Self.maria)
        #expect(draft.experimentID == nil && draft.promptVersion == "1")
        try runtime.experiments.start(.init(id: "again", promptID: "draft.follow-up-email", variants: "1,2"), as: Self.maria)
    }

    @Test func promotingPointsTheLabelAtTheWinningVersion() async throws {
        let prompts = try Self.promptsCopy()
        defer { try? FileManager.default.removeItem(at: prompts) }
        let world = try LedgerTestWorld()
        let runtime = try await world.runtime(prompts: prompts)
        try runtime.experiments.start(Self.plan, as: Self.maria)
        #expect {
            try runtime.experiments.promote("fu-ab", variant: "3", as: Self.maria)
        } throws: { error in
            (error as? ExperimentError)?.code == .invalid
        }
        let promotion = try runtime.experiments.promote("fu-ab", variant: "candidate", as: Self.maria)
        #expect(promotion.version == "2" && promotion.label == "production")
        #expect(promotion.experiment.status == .promoted && promotion.experiment.winner == "candidate")
        #expect(promotion.experiment.stoppedAt == LedgerTestWorld.start)
        #expect(try runtime.registry.labels(of: "draft.follow-up-email").labels["production"] == "2")
        #expect(try runtime.experiments.experiment("fu-ab") == promotion.experiment)
        let draft = try await runtime.drafts.generate(
            client: try runtime.client("acme"), kind: .followUp, hint: nil, as: Self.maria)
        #expect(draft.experimentID == nil && draft.promptVersion == "2", "the promoted version serves new drafts")
    }
}
