import Foundation
import KAMCore
import KAMTesting
import Testing

@Suite("Context assembly")
struct ContextAssemblerTests {
    private func acme() throws -> AssembledContext {
        let result = try ContextFixtures.assemble()
        return try #require(result.context)
    }

    private func line(_ context: AssembledContext, _ section: ContextSectionKind, _ id: String) throws -> String {
        try #require(context.items(section).first { $0.id == id }).text
    }

    @Test func sectionsComeInOrderWithTheProfileFirst() throws {
        let context = try acme()
        #expect(context.sections.map(\.kind) == [.profile, .contacts, .memory, .activities, .deals, .tasks, .orders])
        #expect(context.text.hasPrefix("# Client context"))
        #expect(context.text == context.sections.map(\.text).joined())
        #expect(context.dropped.isEmpty)
    }

    @Test func profileHasCompanyStatusOwnerAndLastInteraction() throws {
        let context = try acme()
        let profile = context.items(.profile).map(\.text).joined()
        #expect(
            profile.contains(
                "Company: <untrusted>Acme Corp</untrusted> (id acme), industry Manufacturing, tier enterprise"))
        #expect(profile.contains("Lifecycle at-risk, lead status won, monthly budget 12,000 USD"))
        #expect(profile.contains("Account owner: <untrusted>Jane Doe, jane@kam.example</untrusted>, team EMEA"))
        // The newest activity (45 days ago is older) is 1 day old; 2025-06-14.
        #expect(profile.contains("Last interaction: 2025-06-14 (1 day ago)"))
    }

    @Test func contactsCarryRolesDecisionMakersFirst() throws {
        let context = try acme()
        let contacts = context.items(.contacts)
        #expect(contacts.map(\.id) == ["contact:1", "contact:3", "contact:2"])
        #expect(contacts[0].text == "- <untrusted>Bob Stone, CTO, bob@acme.com</untrusted> (decision-maker)\n")
        #expect(contacts[2].text.contains("(user)"))
    }

    @Test func memoryShowsSourceAndFencesWhatTheTeamDidNotWrite() throws {
        let context = try acme()
        let preference = try line(context, .memory, "memory:1")
        #expect(preference == "- Preference preferred-call-time: mornings, before 10 (source: user)\n")
        let fact = try line(context, .memory, "memory:2")
        #expect(
            fact == "- Fact plant-count: <untrusted source=\"memory:2\">3 plants in Ohio</untrusted> "
                + "(source: email:msg-77, confidence 0.80)\n")
    }

    @Test func activitiesCoverTheWindowNewestFirst() throws {
        let context = try acme()
        let ids = context.items(.activities).map(\.id)
        #expect(ids == (101...111).map { "activity:\($0)" })
        #expect(!context.text.contains("Outside the window"))
        let first = try line(context, .activities, "activity:101")
        #expect(
            first == "- 2025-06-14 inbound email (sentiment +0.60): <untrusted source=\"activity:101\">From: Bob Stone\n"
                + "Subject: Inspection\nCan we move the inspection to Friday?</untrusted>\n")
        let wider = try #require(try ContextFixtures.assemble(days: 60).context)
        #expect(wider.items(.activities).map(\.id).last == "activity:112")
        #expect(wider.text.contains("## Activities of the last 60 days"))
    }

    @Test func openDealsShowDaysInStageAndAmount() throws {
        let context = try acme()
        #expect(context.items(.deals).map(\.id) == ["deal:201", "deal:202"])
        #expect(
            try line(context, .deals, "deal:201")
                == "- <untrusted>Renewal 2025</untrusted>: negotiation for 14 days, 120,000 USD, "
                + "probability 60%, expected close 2025-07-05\n")
        #expect(try line(context, .deals, "deal:202").contains("proposal for 3 days, 8,500.50 USD"))
        #expect(!context.text.contains("Lost one"))
    }

    @Test func overdueTasksAreFlaggedWithDaysOverdue() throws {
        let context = try acme()
        let tasks = context.items(.tasks)
        #expect(tasks.map(\.id) == ["task:301", "task:305", "task:303", "task:302", "task:306"])
        #expect(
            tasks[0].text
                == "- OVERDUE by 3 days: <untrusted>Send proposal</untrusted> (due 2025-06-12, "
                + "priority high, assignee jane)\n")
        #expect(
            tasks[1].text
                == "- OVERDUE by 1 day: <untrusted>Chase invoice</untrusted> (due 2025-06-14, "
                + "priority medium, in-progress)\n")
        #expect(!tasks[2].text.contains("OVERDUE"))
        #expect(tasks[0].fields["days_overdue"] == .int(3))
        #expect(tasks[2].fields["overdue"] == .bool(false))
        #expect(!context.text.contains("Old done task"))
    }

    @Test func orderSummaryCountsTotalsLastOrderAndTopProducts() throws {
        let context = try acme()
        let summary = try line(context, .orders, ContextAssembler.orderSummaryID)
        func product(_ name: String) -> String { "<untrusted>\(name)</untrusted>" }
        #expect(
            summary == "- 6 orders, 7,300 USD in total; last order 2025-06-10 (\(product("Widget")) x10, 1,000 USD); "
                + "top products: \(product("Widget")) (3 orders), \(product("Gadget")) (2 orders), "
                + "\(product("Sprocket")) (1 order); 1 cancelled or refunded\n")
        let lines = context.items(.orders).dropFirst()
        #expect(lines.map(\.id) == ["order:401", "order:402", "order:403", "order:404", "order:405"])
        #expect(lines.first?.text == "- 2025-06-10 <untrusted>Widget</untrusted> x10, 1,000 USD (fulfilled)\n")
    }

    @Test func aClientWithLittleMemoryStillGetsAProfile() throws {
        let context = try #require(try ContextFixtures.assemble("globex").context)
        #expect(context.sections.map(\.kind) == [.profile, .contacts, .orders])
        #expect(context.text.contains("Last interaction: none recorded"))
        #expect(context.text.contains("- No orders yet\n"))
        #expect(context.text.contains("Account owner: none assigned"))
    }

    @Test func variablesExposeKeptItemsAndTheWholeText() throws {
        let context = try acme()
        let variables = context.variables
        #expect(variables["client_name"] == "<untrusted>Acme Corp</untrusted>")
        #expect(variables["context"] == .string(context.text))
        #expect(variables["context_tokens"] == .int(Int64(context.totalTokens)))
        #expect(variables["primary_contact"]?["name"] == "<untrusted>Bob Stone</untrusted>")
        #expect(variables["primary_contact"]?["title"] == "<untrusted>CTO</untrusted>")
        #expect(variables["owner_name"] == "<untrusted>Jane Doe</untrusted>")
        #expect(variables["open_deals"]?.arrayValue?.first?["name"] == "<untrusted>Renewal 2025</untrusted>")
        #expect(variables["contacts"]?.arrayValue?.count == 3)
        #expect(variables["preferences"]?.arrayValue?.count == 1)
        #expect(variables["facts"]?.arrayValue?.count == 2)
        #expect(variables["activities"]?.arrayValue?.count == 11)
        #expect(variables["overdue_tasks"]?.arrayValue?.count == 2)
        #expect(variables["days_since_last_interaction"] == .int(1))
        #expect(variables["orders"]?["summary"]?["count"] == .int(6))
        #expect(variables["industry"] == "Manufacturing")
        let body = variables["activities"]?.arrayValue?.first?["body"]?.stringValue
        #expect(body == "<untrusted source=\"activity:101\">Can we move the inspection to Friday?</untrusted>")
        #expect(variables["activities"]?.arrayValue?.first?["text"]?.stringValue?.hasPrefix("2025-06-14 inbound") == true)
    }

    @Test func sameInputSameContextWhateverTheInputOrder() throws {
        let first = try acme()
        let second = try acme()
        #expect(first == second)
        var shuffled = ContextFixtures.store()
        var generator = SplitMix64(seed: 7)
        shuffled.activities.shuffle(using: &generator)
        shuffled.contacts.shuffle(using: &generator)
        shuffled.memory.shuffle(using: &generator)
        shuffled.tasks.shuffle(using: &generator)
        shuffled.orders.shuffle(using: &generator)
        for budget in [nil, 120, 300] as [Int?] {
            let a = try #require(try ContextFixtures.assemble(budget: budget).context)
            let b = try #require(try ContextFixtures.assemble(budget: budget, store: shuffled).context)
            #expect(a.text == b.text)
            #expect(a.dropped == b.dropped)
        }
    }

    @Test func sumOfPartsEqualsTheWholeForAnAdditiveCounter() throws {
        let context = try acme()
        #expect(context.totalTokens == ContextWordCounter().countTokens(context.text))
        #expect(context.sumOfParts == context.totalTokens)
    }

    @Test func unknownClientIsAValueAndAnActionableError() throws {
        let result = try ContextFixtures.assemble("nobody")
        #expect(result == .clientNotFound(clientID: "nobody"))
        #expect(throws: ContextAssemblyError.self) { try result.get() }
        do {
            _ = try result.get()
        } catch {
            #expect(error.code == .clientNotFound)
            #expect(error.message.contains("nobody"))
        }
    }

    @Test func storeFailureThrowsWithTheClientAndTheCause() {
        let assembler = ContextAssembler(tokenCounter: ContextWordCounter())
        do {
            _ = try assembler.assemble(clientID: "acme", from: ContextFailingMemory(), now: ContextFixtures.now)
            Issue.record("expected a store failure")
        } catch {
            #expect(error.code == .storeFailed)
            #expect(error.clientID == "acme")
            #expect(error.underlying is ContextFailingMemory.Broken)
        }
    }
}
