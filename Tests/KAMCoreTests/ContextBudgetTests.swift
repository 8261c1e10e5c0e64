import Foundation
@testable import KAMCore
import KAMResources
import KAMTesting
import Synchronization
import Testing

@Suite("Context budget fitting")
struct ContextBudgetTests {
    private func full(counter: any TokenCounting = ContextWordCounter()) throws -> AssembledContext {
        try #require(try ContextFixtures.assemble(counter: counter).context)
    }

    private func profileTokens(counter: any TokenCounting = ContextWordCounter()) throws -> Int {
        let context = try full(counter: counter)
        return try #require(context.section(.profile)).tokens
    }

    @Test func everyBudgetIsRespectedAndCountedOnTheWholeText() throws {
        let counter = ContextWordCounter()
        let full = try full()
        let total = full.totalTokens
        let profile = try profileTokens()
        var previousDropped = Int.max
        for budget in profile...(total + 5) {
            let context = try #require(try ContextFixtures.assemble(budget: budget).context, "budget \(budget)")
            #expect(context.totalTokens <= budget, "budget \(budget)")
            #expect(context.totalTokens == counter.countTokens(context.text), "budget \(budget)")
            #expect(context.sumOfParts == context.totalTokens, "budget \(budget)")
            #expect(context.dropped.count <= previousDropped, "a larger budget never drops more")
            previousDropped = context.dropped.count
            // Dropping stops as soon as the rest fits: putting back the next dropped item would overflow.
            if let next = context.dropped.last, let tokens = next.tokens {
                let header = context.section(next.section) == nil ? (full.section(next.section)?.headerTokens ?? 0) : 0
                #expect(context.totalTokens + tokens + header > budget, "budget \(budget)")
            }
        }
        #expect(previousDropped == 0)
    }

    @Test func droppedItemsFollowTheDocumentedOrder() throws {
        let context = try #require(try ContextFixtures.assemble(budget: try profileTokens()).context)
        #expect(context.sections.map(\.kind) == [.profile])
        let order = context.dropped.map(\.itemID)
        #expect(
            order == [
                // Low-signal (notes, neutral sentiment), oldest first.
                "activity:111", "activity:109", "activity:106", "activity:103", "activity:102",
                // Other activities, oldest first.
                "activity:110", "activity:108", "activity:107", "activity:105", "activity:104", "activity:101",
                // Order lines, oldest first.
                "order:405", "order:404", "order:403", "order:402", "order:401",
                // Low/medium tasks not overdue: lowest priority first, then latest due (none = latest).
                "task:302", "task:306",
                // Memory with low confidence.
                "memory:3",
                "orders:summary",
                // High/urgent tasks not overdue.
                "task:303",
                // Remaining memory: other sources before the team's own.
                "memory:2", "memory:1",
                // Deals: smallest weighted amount first, only after every activity.
                "deal:202", "deal:201",
                // Overdue tasks: lowest priority first.
                "task:305", "task:301",
                // Contacts: least influential role first.
                "contact:2", "contact:3", "contact:1",
            ])
        let tiers = context.dropped.map(\.tier)
        #expect(tiers == tiers.sorted())
        #expect(context.dropped.first?.reason == "over budget: low-signal activity (note or neutral sentiment), oldest first")
    }

    @Test func aBudgetThatDropsOnlySomeKeepsTheMostRelevant() throws {
        let full = try full()
        let lowSignal = full.items(.activities).filter { ["activity:102", "activity:103"].contains($0.id) }
        // Enough room for everything but the three oldest low-signal activities.
        let oldest = full.items(.activities).filter { ["activity:111", "activity:109", "activity:106"].contains($0.id) }
        let budget = full.totalTokens - oldest.reduce(0) { $0 + $1.tokens }
        let context = try #require(try ContextFixtures.assemble(budget: budget).context)
        #expect(context.dropped.map(\.itemID) == ["activity:111", "activity:109", "activity:106"])
        #expect(context.totalTokens == budget)
        #expect(lowSignal.allSatisfy { item in context.items(.activities).contains(item) })
    }

    @Test func aBudgetBelowTheProfileIsAClearErrorValue() throws {
        let profile = try profileTokens()
        for budget in [0, 1, profile / 2, profile - 1] {
            let result = try ContextFixtures.assemble(budget: budget)
            #expect(result == .budgetTooSmall(clientID: "acme", budget: budget, profileTokens: profile))
            do {
                _ = try result.get()
                Issue.record("expected budgetTooSmall for \(budget)")
            } catch {
                #expect(error.code == .budgetTooSmall)
                #expect(error.message.contains("at least \(profile)"))
            }
        }
        let exact = try #require(try ContextFixtures.assemble(budget: profile).context)
        #expect(exact.totalTokens == profile)
    }

    @Test func aCounterWhoseWholeExceedsItsPartsStillNeverExceedsTheBudget() throws {
        let counter = ContextSuperadditiveCounter()
        let total = try full(counter: counter).totalTokens
        let profile = try profileTokens(counter: counter)
        var sawCorrection = false
        for budget in stride(from: profile, through: total + 2, by: 1) {
            let result = try ContextFixtures.assemble(budget: budget, counter: counter)
            guard let context = result.context else {
                // The whole profile text may count more than its parts: then it truly does not fit.
                guard case .budgetTooSmall = result else {
                    Issue.record("unexpected \(result) for \(budget)")
                    continue
                }
                continue
            }
            #expect(context.totalTokens <= budget, "budget \(budget)")
            #expect(context.totalTokens == counter.countTokens(context.text))
            if context.sumOfParts < context.totalTokens { sawCorrection = true }
        }
        #expect(sawCorrection, "the fixture should exercise the whole-text correction")
    }

    @Test func withoutABudgetNothingIsDropped() throws {
        let context = try full()
        #expect(context.dropped.isEmpty)
        #expect(context.budget == nil)
        #expect(context.items(.activities).count == 11)
    }

    @Test func manyActivitiesFitWithoutCountingTheDroppedOnes() throws {
        var activities: [Activity] = []
        for index in 0..<500 {
            activities.append(
                Activity(
                    id: Int64(1_000 + index), clientID: "acme", kind: index % 4 == 0 ? .note : .email,
                    direction: .inbound, occurredAt: ContextFixtures.daysAgo(Double(index % 29) + Double(index) / 1_000),
                    subject: "Subject \(index)", body: "Body of message \(index)", sentiment: 0.5))
        }
        let counted = CountingCounter()
        let result = try ContextFixtures.assemble(
            budget: 400, counter: counted, store: ContextFixtures.store(activities: activities))
        let context = try #require(result.context)
        #expect(context.totalTokens <= 400)
        #expect(context.dropped.count > 400)
        #expect(context.dropped.contains { $0.tokens == nil })
        // Counted: the kept items, the first that did not fit, headings and the final text — not the rest.
        #expect(counted.calls < 200)
    }
}

/// Counts words and how many times it was asked; `addsUp` says whether it promises that counts add up over whole
/// lines (words do).
final class CountingCounter: TokenCounting {
    private let count = Mutex(0)
    let addsUp: Bool
    var calls: Int { count.withLock { $0 } }
    init(addsUp: Bool = false) { self.addsUp = addsUp }
    func countTokens(_ text: String) -> Int {
        count.withLock { $0 += 1 }
        return ContextWordCounter().countTokens(text)
    }
    var countsAddUpOverWholeLines: Bool { addsUp }
}

@Suite("Context with the exact tokenizers")
struct ContextTokenizerTests {
    @Test func aCounterWhoseCountsAddUpCountsEachItemOnceAndNeverTheWhole() throws {
        let promising = CountingCounter(addsUp: true)
        let context = try #require(try ContextFixtures.assemble(counter: promising).context)
        let pieces = context.sections.reduce(0) { $0 + 1 + $1.items.count }
        #expect(promising.calls == pieces)
        #expect(context.totalTokens == ContextWordCounter().countTokens(context.text))
        // The same counter without the promise also counts the final text.
        let plain = CountingCounter()
        let same = try #require(try ContextFixtures.assemble(counter: plain).context)
        #expect(plain.calls == pieces + 1)
        #expect(same == context)
    }

    @Test func theItemsAreWholeLinesThatTheExactTokenizersAddUpOver() throws {
        let assembler = ContextAssembler(tokenCounter: try Tokenizer(encoding: .o200kBase))
        let context = try #require(try ContextFixtures.assemble().context)
        #expect(assembler.countsAddUp(context))
        // A heading or item that is not whole lines starting with a non-blank other than `/` is counted whole.
        for text in ["/path\n", " indented\n", "\tTab\n", "no newline", "\u{3000}wide space\n"] {
            var odd = context
            odd.sections[odd.sections.count - 1].items.append(ContextItem(id: "odd", text: text, tokens: 1, fields: .null))
            #expect(!assembler.countsAddUp(odd), "\(text.debugDescription)")
        }
        #expect(!ContextAssembler(tokenCounter: ContextWordCounter()).countsAddUp(context))
    }

    @Test(arguments: [TokenEncoding.o200kBase, .cl100kBase])
    func itemCountsAddUpToTheWholeAndBudgetsHold(encoding: TokenEncoding) throws {
        let tokenizer = try Tokenizer(encoding: encoding)
        var store = ContextFixtures.store()
        // Text that tempts a tokenizer to merge across lines: blank lines, trailing spaces, slashes, CJK.
        store.activities.append(
            Activity(
                id: 900, clientID: "acme", contactID: 1, kind: .email, direction: .inbound,
                occurredAt: ContextFixtures.daysAgo(0.2), subject: "Re: re: /path/to  ",
                body: "Line one.  \n\n\n   indented\n/slash start\n\t tab\n日本語のテキスト\n\n", sentiment: -0.4))
        let full = try #require(try ContextFixtures.assemble(counter: tokenizer, store: store).context)
        #expect(full.totalTokens == tokenizer.countTokens(full.text))
        #expect(full.sumOfParts == full.totalTokens)
        let profile = try #require(full.section(.profile)).tokens
        for budget in stride(from: profile, through: full.totalTokens, by: 3) {
            let context = try #require(
                try ContextFixtures.assemble(budget: budget, counter: tokenizer, store: store).context)
            #expect(context.totalTokens <= budget)
            #expect(context.sumOfParts == context.totalTokens, "budget \(budget)")
        }
    }
}
