import Foundation
import KAMCore
import Testing

/// A CSV import's `client.imported` stands for the creations it summarises: a rule on `client.created` starts when the
/// import created the client, one on `contact.created` when it created contacts of it, and no other rule on a kind it
/// counts (activities, tasks, memory items are history).
@Suite struct RuleTriggerImportTests {
    static let at = Date(timeIntervalSince1970: 1_767_225_600)

    @Test(arguments: [false, true], [0, 1, 7])
    func aClientImportedStartsTheRulesOnTheCreationsItStandsFor(created: Bool, contacts: Int) {
        let event = DomainEvent.clientImported(
            clientID: "acme", importID: "imp-1", created: created,
            records: ["contacts": contacts, "activities": 3, "tasks": 2, "memory": 1], at: Self.at)
        let payload = event.payload
        #expect(RuleTrigger.events([.clientCreated]).matches(kind: "client.imported", payload: payload) == created)
        #expect(RuleTrigger.events([.contactCreated]).matches(kind: "client.imported", payload: payload) == (contacts > 0))
        #expect(RuleTrigger.events([.clientCreated, .contactCreated]).matches(kind: "client.imported", payload: payload)
            == (created || contacts > 0))
        #expect(RuleTrigger.events([.clientImported]).matches(kind: "client.imported", payload: payload))
        for kind in [EventKind.activityLogged, .taskCreated, .memoryRemembered, .dealStageChanged, .orderRecorded] {
            #expect(!RuleTrigger.events([kind]).matches(kind: "client.imported", payload: payload))
            #expect(!RuleTrigger.events([kind]).matches(kind: "client.imported"))
        }
        #expect(!RuleTrigger.schedule(.healthRecompute).matches(kind: "client.imported", payload: payload))
        // The other kinds are matched by kind alone, as before.
        #expect(RuleTrigger.events([.clientCreated]).matches(kind: "client.created", payload: [:]))
        #expect(!RuleTrigger.events([.clientCreated]).matches(kind: "contact.created", payload: payload))
    }

    @Test func theEventCountsEveryKindAndCarriesIdsAndStatesOnly() {
        let event = DomainEvent.clientImported(clientID: "acme", importID: "imp-1", created: true, records: ["contacts": 2], at: Self.at)
        #expect(event.payloadText
            == #"{"activities":0,"client_id":"acme","contacts":2,"created":true,"deals":0,"id":"acme","import_id":"imp-1","memory":0,"orders":0,"tasks":0}"#)
        #expect(event.kind == .clientImported && event.subjectID == "acme")
    }
}
