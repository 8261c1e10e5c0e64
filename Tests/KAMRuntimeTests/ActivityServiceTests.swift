import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ActivityServiceTests {
    @Test func loggingACallResolvesTheFollowUpAndRaisesRelationshipHealth() async throws {
        let world = try await CRMTestWorld.demo()
        let before = world.suggest("initech")
        let followUp = try #require(try world.pending("initech", .followUp).first, "initech is 10 days silent")
        let relationshipBefore = try #require(before.health?.factors.first { $0.name == "relationship depth" })
        #expect(relationshipBefore.explanation.contains("last contact 10 days ago"))

        let logged = try world.runtime.activities.log(
            ActivityService.Entry(clientID: "initech", kind: .call, summary: "Talked through the Q1 rollout with Bill"),
            as: ActingUser("maria"))
        #expect(logged.activity.id != nil)
        #expect(logged.activity.direction == .outbound)
        #expect(logged.activity.occurredAt == world.now)
        #expect(logged.refresh.resolved.map(\.id) == [followUp.id])
        #expect(logged.refresh.resolved.first?.resolution?.hasPrefix("call logged") == true)
        #expect(try world.pending("initech", .followUp).isEmpty)
        let health = try #require(logged.refresh.health)
        #expect(health.score > before.health!.score)
        #expect(logged.refresh.previousHealth == before.health?.score)
        let relationship = try #require(health.factors.first { $0.name == "relationship depth" })
        #expect(relationship.explanation.contains("last contact 0 days ago"))
        #expect(relationship.score > relationshipBefore.score)
        #expect(try world.runtime.sqliteStore!.snapshot(clientID: "initech", activitiesSince: world.now)?.lastInteractionAt == world.now)
    }

    @Test func aCallLoggedForTwoWeeksAgoLeavesTheInactivityClockAlone() async throws {
        let world = try await CRMTestWorld.demo()
        world.suggest("initech")
        let logged = try world.runtime.activities.log(
            ActivityService.Entry(
                clientID: "initech", kind: .call, at: world.now.addingTimeInterval(-14 * 86_400), summary: "Old call"),
            as: .anonymous)
        #expect(logged.refresh.resolved.isEmpty)
        #expect(try world.pending("initech", .followUp).count == 1)
    }

    @Test func theFirstActivityMovesANewLeadToContacted() async throws {
        let world = try await CRMTestWorld.demo()
        try world.runtime.clients.add(
            id: nil, ClientService.Fields(name: "Vandelay Industries", lifecycle: .prospect), as: .anonymous)
        #expect(try world.runtime.client("vandelay-industries").leadStatus == .new)
        let logged = try world.runtime.activities.log(
            ActivityService.Entry(clientID: "vandelay-industries", kind: .email, summary: "Intro email to Art"),
            as: .anonymous)
        #expect(logged.refresh.leadTransitions.map { "\($0.from.rawValue)→\($0.to.rawValue)" } == ["new→contacted"])
        #expect(try world.runtime.client("vandelay-industries").leadStatus == .contacted)
    }

    @Test func notesAreInternalAndLongSummariesKeepTheirFirstLineAsSubject() async throws {
        let world = try await CRMTestWorld.demo()
        let contact = try #require(try world.runtime.contacts.list(clientID: "acme", as: .anonymous).first)
        let text = "Jane prefers Tuesday calls\nShe also asked for the inspection schedule before Friday."
        let logged = try world.runtime.activities.log(
            ActivityService.Entry(clientID: "acme", kind: .note, sentiment: 0.5, summary: text, contact: contact.email),
            as: .anonymous)
        #expect(logged.activity.direction == .internal)
        #expect(logged.activity.subject == "Jane prefers Tuesday calls")
        #expect(logged.activity.body == text)
        #expect(logged.activity.contactID == contact.id)
        #expect(logged.activity.sentiment == 0.5)
    }

    @Test func refusalsNameTheClientAndTheField() async throws {
        let world = try await CRMTestWorld.demo()
        let cases: [(ActivityService.Entry, String)] = [
            (ActivityService.Entry(clientID: "acme", kind: .call, summary: "   "), "activity.invalid-summary"),
            (
                ActivityService.Entry(clientID: "acme", kind: .call, at: world.now.addingTimeInterval(86_400), summary: "x"),
                "activity.invalid-at"
            ),
            (ActivityService.Entry(clientID: "acme", kind: .call, sentiment: 1.5, summary: "x"), "activity.invalid-sentiment"),
        ]
        for (entry, code) in cases {
            #expect { try world.runtime.activities.log(entry, as: .anonymous) } throws: { error in
                let error = error as? RuntimeError
                return error?.code == code && error?.message.contains("client 'acme'") == true
            }
        }
        #expect {
            try world.runtime.activities.log(
                ActivityService.Entry(clientID: "acme", kind: .call, summary: "x", contact: "nobody@acme.example"),
                as: .anonymous)
        } throws: { error in (error as? RuntimeError)?.code == "contact.not-found" }
        #expect(try world.runtime.sqliteStore!.counts().activities == 14, "nothing was stored")
    }
}
