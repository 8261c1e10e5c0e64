import Foundation
import KAMCore
import KAMRuntime
import KAMStore
import Testing

@Suite struct ContactServiceTests {
    @Test func aDecisionMakerAddedToAClientRaisesItsHealth() async throws {
        let world = try await CRMTestWorld.demo()
        try world.runtime.clients.add(id: "nakatomi", ClientService.Fields(name: "Nakatomi Trading"), as: .anonymous)
        let before = world.suggest("nakatomi")
        let added = try world.runtime.contacts.add(
            clientID: "nakatomi",
            ContactService.Fields(
                name: "Holly Gennero", email: " Holly@Nakatomi.Example ", phone: "+1 (555) 010-0100 x12", title: "CFO",
                role: .decisionMaker),
            as: ActingUser("maria"))
        #expect(added.contact.id != nil)
        #expect(added.contact.email == "holly@nakatomi.example")
        #expect(added.contact.role == .decisionMaker)
        let relationship = try #require(added.refresh.health?.factors.first { $0.name == "relationship depth" })
        #expect(relationship.explanation.contains("a decision maker"))
        #expect(added.refresh.health!.score > before.health!.score)
        #expect(try world.runtime.contacts.list(clientID: "nakatomi", as: .anonymous).map(\.name) == ["Holly Gennero"])
    }

    @Test func updateAndRemoveFindTheContactByIdEmailOrName() async throws {
        let world = try await CRMTestWorld.demo()
        let jane = try #require(try world.runtime.contacts.list(clientID: "acme", as: .anonymous).first { $0.role == .decisionMaker })
        let byEmail = try world.runtime.contacts.update(
            clientID: "acme", contact: jane.email!.uppercased(), ContactService.Fields(title: "COO", clearing: [.phone]),
            as: .anonymous)
        #expect(byEmail.contact.id == jane.id)
        #expect(byEmail.contact.title == "COO")
        #expect(byEmail.contact.phone == nil)
        #expect(byEmail.contact.name == jane.name, "fields not named stay")
        let byID = try world.runtime.contacts.update(
            clientID: "acme", contact: "\(jane.id!)", ContactService.Fields(role: .champion), as: .anonymous)
        #expect(byID.contact.role == .champion)
        let removed = try world.runtime.contacts.remove(clientID: "acme", contact: jane.name.lowercased(), as: .anonymous)
        #expect(removed.removed)
        #expect(try world.runtime.contacts.list(clientID: "acme", as: .anonymous).allSatisfy { $0.id != jane.id })
        #expect { try world.runtime.contacts.remove(clientID: "acme", contact: jane.name, as: .anonymous) } throws: { error in
            let error = error as? RuntimeError
            return error?.kind == .notFound && error?.message.contains("client 'acme' has no contact") == true
        }
        // Another client's contact is not reachable through acme.
        let other = try #require(try world.runtime.contacts.list(clientID: "globex", as: .anonymous).first)
        #expect(throws: RuntimeError.self) {
            try world.runtime.contacts.remove(clientID: "acme", contact: "\(other.id!)", as: .anonymous)
        }
    }

    @Test func emailsAreCheckedAndUniqueWithinAClient() async throws {
        let world = try await CRMTestWorld.demo()
        for bad in ["jane", "jane@@acme.example", "jane@acme..example", "jane doe@acme.example"] {
            #expect {
                try world.runtime.contacts.add(
                    clientID: "acme", ContactService.Fields(name: "Jane Two", email: bad), as: .anonymous)
            } throws: { error in
                let error = error as? RuntimeError
                return error?.code == "contact.invalid-email" && error?.message.contains("client 'acme'") == true
                    && error?.message.contains(bad) == true
            }
        }
        let taken = try #require(try world.runtime.contacts.list(clientID: "acme", as: .anonymous).first?.email)
        #expect {
            try world.runtime.contacts.add(clientID: "acme", ContactService.Fields(name: "Copy", email: taken), as: .anonymous)
        } throws: { error in
            "\(error)".contains("\(taken) already belongs to contact")
        }
        // The same address at another client is another person record, allowed.
        let elsewhere = try world.runtime.contacts.add(
            clientID: "globex", ContactService.Fields(name: "Copy", email: taken), as: .anonymous)
        #expect(elsewhere.contact.clientID == "globex")
        #expect {
            try world.runtime.contacts.add(clientID: "acme", ContactService.Fields(name: "Pat", phone: "call me"), as: .anonymous)
        } throws: { error in (error as? RuntimeError)?.code == "contact.invalid-phone" }
        #expect {
            try world.runtime.contacts.add(clientID: "acme", ContactService.Fields(email: "pat@acme.example"), as: .anonymous)
        } throws: { error in (error as? RuntimeError)?.code == "contact.name-missing" }
    }
}
