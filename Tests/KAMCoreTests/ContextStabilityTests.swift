import Foundation
import KAMCore
import KAMTesting
import Testing

/// `ContextAssembler.stableUntil`: assembling the same memory at any instant before the bound gives the same
/// context (its `assembledAt` aside), and just after it the context has changed, so the bound is neither late (a
/// kept context would be wrong) nor early for the fixture's items.
@Suite("Context stability")
struct ContextStabilityTests {
    /// The context of `clientID` at `now` with its `assembledAt` blanked, and its bound.
    private func assembled(
        _ clientID: String = "acme", at now: Date, store: InMemoryClientMemory = ContextFixtures.store()
    ) throws -> (context: AssembledContext, until: Date) {
        let assembler = ContextAssembler(tokenCounter: ContextWordCounter(), options: ContextAssemblyOptions())
        let snapshot = try #require(try assembler.snapshot(clientID: clientID, from: store, now: now))
        var context = try #require(assembler.assemble(snapshot: snapshot, now: now).context)
        context.assembledAt = .distantPast
        return (context, assembler.stableUntil(snapshot: snapshot, now: now))
    }

    @Test func theContextIsTheSameBeforeItsBoundAndChangesAfter() throws {
        // Steps of 3 h 7 min 13 s over 60 days, from 3 days before the fixture's `now`: activities leave the window,
        // day counts tick, tasks fall due.
        var now = ContextFixtures.now.addingTimeInterval(-3 * 86_400)
        var bounded = 0
        for _ in 0..<460 {
            let (context, until) = try assembled(at: now)
            #expect(until >= now)
            if until < .distantFuture {
                bounded += 1
                for fraction in [0.25, 0.5, 0.999_99] {
                    let later = now.addingTimeInterval(until.timeIntervalSince(now) * fraction)
                    #expect(try assembled(at: later).context == context, "at \(later), bound \(until), from \(now)")
                }
                #expect(try assembled(at: until).context == context, "at the bound \(until), from \(now)")
                #expect(
                    try assembled(at: until.addingTimeInterval(0.002)).context != context,
                    "2 ms after the bound \(until) nothing changed, from \(now)")
            }
            now = now.addingTimeInterval(3 * 3_600 + 7 * 60 + 13)
        }
        #expect(bounded > 400)
    }

    @Test func aContextWithNothingDatedNeverChanges() throws {
        let (context, until) = try assembled("globex", at: ContextFixtures.now)
        #expect(until == .distantFuture)
        #expect(try assembled("globex", at: ContextFixtures.now.addingTimeInterval(400 * 86_400)).context == context)
    }

    @Test func aTaskDueLaterBoundsItsContextAtItsDueInstant() throws {
        let due = ContextFixtures.now.addingTimeInterval(90)
        let tasks = [ClientTask(id: 1, clientID: "globex", title: "Call back", due: due, priority: .high)]
        let store = InMemoryClientMemory(clients: [ContextFixtures.globex], tasks: tasks)
        let (context, until) = try assembled("globex", at: ContextFixtures.now, store: store)
        #expect(until < due && until > due.addingTimeInterval(-1))
        #expect(try assembled("globex", at: due.addingTimeInterval(0.5), store: store).context != context)
    }
}
