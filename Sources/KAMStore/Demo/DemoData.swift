import Foundation
import KAMCore

/// The demo accounts: eight realistic clients, three account managers in two teams, dated
/// relative to an injected `now` so every run tells the same story.
///
/// Each account exercises something KAM should notice: a deal stuck in negotiation for 20 days
/// (acme), an overdue task (globex), no contact for 10 days (initech), recent positive news
/// (umbrella), training consent withheld (umbrella), AI-analysis consent withheld (stark), an
/// at-risk account (hooli), a fresh onboarding (soylent), an early prospect (wayne), ...
public enum DemoData {
    /// The demo as an import document; `DemoSeeder.seed(_:into:)` writes it.
    public static func document(now: Date) -> ImportDocument {
        func days(_ n: Double) -> Date { now.addingTimeInterval(-n * 86_400) }
        func ahead(_ n: Double) -> Date { now.addingTimeInterval(n * 86_400) }
        typealias A = ImportDocument.ActivityEntry
        typealias C = ImportDocument.ContactEntry
        typealias M = ImportDocument.MemoryEntry
        typealias D = ImportDocument.DealEntry
        typealias T = ImportDocument.TaskEntry
        typealias O = ImportDocument.OrderEntry
        typealias S = ImportDocument.StageChangeEntry

        let users = [
            ImportDocument.UserEntry(id: "maria", name: "Maria Lopez", email: "maria.lopez@kam.example", team: "enterprise"),
            ImportDocument.UserEntry(id: "tom", name: "Tom Becker", email: "tom.becker@kam.example", team: "enterprise"),
            ImportDocument.UserEntry(id: "aisha", name: "Aisha Khan", email: "aisha.khan@kam.example", team: "growth"),
        ] + DemoSeeder.teamMembers.map {
            ImportDocument.UserEntry(id: $0.id, name: $0.name, email: $0.email, team: $0.team)
        }
        let clients: [ImportDocument.ClientEntry] = [
            .init(
                id: "acme", name: "Acme Manufacturing", externalID: "demo:acme", industry: "manufacturing",
                tier: .enterprise, monthlyBudget: 250, currency: "USD", owner: "maria", domain: "acme.example",
                consentAIAnalysis: true, consentTraining: true, lifecycle: .active, leadStatus: .won, createdAt: days(700),
                contacts: [
                    C(id: "demo:acme:jane", name: "Jane Smith", email: "jane.smith@acme.example", phone: "+1 312 555 0142",
                      title: "VP Operations", role: .decisionMaker),
                    C(id: "demo:acme:bob", name: "Bob Lee", email: "bob.lee@acme.example", title: "Plant Manager", role: .champion),
                    C(id: "demo:acme:carla", name: "Carla Diaz", email: "carla.diaz@acme.example", title: "Procurement Lead",
                      role: .influencer),
                ],
                activities: [
                    A(id: "demo:acme:a1", kind: .meeting, direction: .outbound, occurredAt: days(3), subject: "Line 3 expansion review",
                      body: "Walked Jane and Bob through the phased rollout; Jane wants the inspection schedule before signing.",
                      sentiment: 0.3, contact: "demo:acme:jane"),
                    A(id: "demo:acme:a2", kind: .email, direction: .inbound, occurredAt: days(6), subject: "Re: revised quote",
                      body: "Hi Maria, procurement is asking for net-60 terms. Can you check? — Carla", sentiment: 0.0,
                      contact: "carla.diaz@acme.example"),
                    A(id: "demo:acme:a3", kind: .call, occurredAt: days(21), subject: "Negotiation kick-off",
                      body: "Agreed scope; pricing still open.", sentiment: 0.2, contact: "demo:acme:jane"),
                ],
                deals: [
                    D(id: "demo:acme:d1", name: "Line 3 expansion", stage: .negotiation, amount: 180_000, closeDate: ahead(25),
                      probability: 0.6, stageEnteredAt: days(20),
                      stageHistory: [S(stage: .qualification, enteredAt: days(75)), S(stage: .proposal, enteredAt: days(45)),
                                     S(stage: .negotiation, enteredAt: days(20))])
                ],
                tasks: [T(id: "demo:acme:t1", title: "Send inspection schedule to Jane", due: ahead(2), priority: .high, assignee: "maria")],
                orders: [
                    O(id: "demo:acme:o1", product: "Sensor kit (line 1-2)", quantity: 40, amount: 96_000, orderedAt: days(300)),
                    O(id: "demo:acme:o2", product: "Annual support plan", amount: 24_000, orderedAt: days(120)),
                ],
                memory: [
                    M(key: "preferred-call-time", kind: .preference, value: "Prefers Tuesday morning calls", source: "user"),
                    M(key: "annual-inspection", kind: .fact, value: "Annual plant inspection happens every March", source: "user"),
                    M(key: "approver", kind: .fact, value: "Jane Smith signs anything above $50k", source: "email:demo-acme-2"),
                ]),
            .init(
                id: "globex", name: "Globex Logistics", externalID: "demo:globex", industry: "logistics", tier: .professional,
                monthlyBudget: 120, owner: "tom", domain: "globex.example", consentAIAnalysis: true, consentTraining: true,
                lifecycle: .active, leadStatus: .won, createdAt: days(500),
                contacts: [
                    C(id: "demo:globex:hank", name: "Hank Scorpio", email: "hank@globex.example", title: "COO", role: .decisionMaker),
                    C(id: "demo:globex:li", name: "Li Wei", email: "li.wei@globex.example", title: "Fleet Manager", role: .user),
                ],
                activities: [
                    A(id: "demo:globex:a1", kind: .call, occurredAt: days(4), subject: "Renewal timing",
                      body: "Hank expects the renewal quote before the board meeting.", sentiment: 0.1, contact: "demo:globex:hank"),
                    A(id: "demo:globex:a2", kind: .email, direction: .inbound, occurredAt: days(12), subject: "Tracking outage",
                      body: "Li reported two hours of missing GPS data last Tuesday.", sentiment: -0.4, contact: "demo:globex:li"),
                ],
                deals: [
                    D(id: "demo:globex:d1", name: "2026 renewal", stage: .proposal, amount: 64_000, closeDate: ahead(20),
                      probability: 0.7, stageEnteredAt: days(8))
                ],
                tasks: [
                    T(id: "demo:globex:t1", title: "Send renewal quote to Hank", due: days(5), priority: .urgent, assignee: "tom"),
                    T(id: "demo:globex:t2", title: "Post-mortem on the tracking outage", due: ahead(3), status: .inProgress,
                      priority: .medium, assignee: "tom"),
                ],
                orders: [O(id: "demo:globex:o1", product: "Fleet tracking licences", quantity: 120, amount: 58_000, orderedAt: days(360))],
                memory: [
                    M(key: "board-meeting", kind: .fact, value: "Board meets the first Monday of each quarter"),
                    M(key: "communication", kind: .preference, value: "Hank wants short emails with numbers up front"),
                ]),
            .init(
                id: "initech", name: "Initech Software", externalID: "demo:initech", industry: "software", tier: .professional,
                monthlyBudget: 80, owner: "leo", domain: "initech.example", consentAIAnalysis: true, consentTraining: true,
                lifecycle: .active, leadStatus: .won, createdAt: days(420),
                contacts: [
                    C(id: "demo:initech:peter", name: "Peter Gibbons", email: "peter@initech.example", title: "Engineering Lead",
                      role: .champion),
                    C(id: "demo:initech:bill", name: "Bill Lumbergh", email: "bill@initech.example", title: "Division VP",
                      role: .decisionMaker),
                ],
                activities: [
                    A(id: "demo:initech:a1", kind: .meeting, occurredAt: days(10), subject: "Quarterly business review",
                      body: "Usage up 30%; Bill asked about the analytics add-on.", sentiment: 0.4, contact: "demo:initech:bill"),
                    A(id: "demo:initech:a2", kind: .email, occurredAt: days(40), subject: "QBR agenda", sentiment: 0.1,
                      contact: "demo:initech:peter"),
                ],
                deals: [
                    D(id: "demo:initech:d1", name: "Analytics add-on", stage: .qualification, amount: 22_000, closeDate: ahead(60),
                      probability: 0.3, stageEnteredAt: days(10))
                ],
                orders: [O(id: "demo:initech:o1", product: "Team plan (50 seats)", quantity: 50, amount: 30_000, orderedAt: days(400))],
                memory: [M(key: "tech-stack", kind: .fact, value: "Runs everything on-premises; no public cloud")]),
            .init(
                id: "umbrella", name: "Umbrella Health", externalID: "demo:umbrella", industry: "healthcare", tier: .enterprise,
                monthlyBudget: 300, owner: "nina", domain: "umbrella.example", consentAIAnalysis: true, consentTraining: false,
                lifecycle: .active, leadStatus: .won, createdAt: days(900),
                contacts: [
                    C(id: "demo:umbrella:alice", name: "Alice Abernathy", email: "alice@umbrella.example", title: "CIO",
                      role: .decisionMaker),
                    C(id: "demo:umbrella:carlos", name: "Carlos Oliveira", email: "carlos@umbrella.example", title: "IT Director",
                      role: .champion),
                ],
                activities: [
                    A(id: "demo:umbrella:a1", kind: .email, direction: .inbound, occurredAt: days(1), subject: "Pilot results",
                      body: "The pilot cut triage time by 18%. We'd like to roll out to two more hospitals.", sentiment: 0.9,
                      contact: "demo:umbrella:alice"),
                    A(id: "demo:umbrella:a2", kind: .demo, occurredAt: days(15), subject: "Pilot dashboard demo", sentiment: 0.6,
                      contact: "demo:umbrella:carlos"),
                ],
                deals: [
                    D(id: "demo:umbrella:d1", name: "Two-hospital rollout", stage: .prospecting, amount: 240_000, closeDate: ahead(90),
                      probability: 0.4, stageEnteredAt: days(1))
                ],
                tasks: [T(id: "demo:umbrella:t1", title: "Thank Alice and propose rollout workshop", due: ahead(1), priority: .high)],
                orders: [O(id: "demo:umbrella:o1", product: "Enterprise licence", amount: 310_000, orderedAt: days(180))],
                memory: [
                    M(key: "compliance", kind: .fact, value: "All data must stay in the EU region (HIPAA and GDPR reviews)"),
                    M(key: "training-consent", kind: .fact, value: "Legal declined use of their data for model training"),
                ]),
            .init(
                id: "stark", name: "Stark Energy", externalID: "demo:stark", industry: "energy", tier: .enterprise,
                monthlyBudget: 200, owner: "maria", domain: "stark.example", consentAIAnalysis: false, consentTraining: false,
                lifecycle: .active, leadStatus: .won, createdAt: days(650),
                contacts: [C(id: "demo:stark:pepper", name: "Pepper Potts", email: "pepper@stark.example", title: "CEO", role: .decisionMaker)],
                activities: [
                    A(id: "demo:stark:a1", kind: .call, occurredAt: days(8), subject: "Contract check-in",
                      body: "No AI analysis of their communications, per their policy.", sentiment: 0.2, contact: "demo:stark:pepper")
                ],
                orders: [O(id: "demo:stark:o1", product: "Grid monitoring suite", amount: 150_000, orderedAt: days(220))],
                memory: [M(key: "ai-policy", kind: .fact, value: "Policy forbids AI analysis of their data")]),
            .init(
                id: "wayne", name: "Wayne Retail", externalID: "demo:wayne", industry: "retail", tier: .starter, monthlyBudget: 25,
                owner: "aisha", domain: "wayne.example", consentAIAnalysis: true, consentTraining: true, lifecycle: .prospect,
                leadStatus: .qualified, createdAt: days(30),
                contacts: [
                    C(id: "demo:wayne:lucius", name: "Lucius Fox", email: "lucius@wayne.example", title: "Head of Stores",
                      role: .decisionMaker)
                ],
                activities: [
                    A(id: "demo:wayne:a1", kind: .demo, occurredAt: days(5), subject: "Store analytics demo",
                      body: "Interested in a 10-store pilot; asked for references in retail.", sentiment: 0.5,
                      contact: "demo:wayne:lucius")
                ],
                deals: [
                    D(id: "demo:wayne:d1", name: "10-store pilot", stage: .proposal, amount: 18_000, closeDate: ahead(30),
                      probability: 0.5, stageEnteredAt: days(4))
                ],
                tasks: [T(id: "demo:wayne:t1", title: "Send two retail references", due: ahead(4), assignee: "aisha")],
                memory: [M(key: "preferred-channel", kind: .preference, value: "Prefers video calls to email")]),
            .init(
                id: "hooli", name: "Hooli Media", externalID: "demo:hooli", industry: "media", tier: .professional,
                monthlyBudget: 90, owner: "sven", domain: "hooli.example", consentAIAnalysis: true, consentTraining: true,
                lifecycle: .atRisk, leadStatus: .won, createdAt: days(380),
                contacts: [
                    C(id: "demo:hooli:gavin", name: "Gavin Belson", email: "gavin@hooli.example", title: "CEO", role: .decisionMaker),
                    C(id: "demo:hooli:jared", name: "Jared Dunn", email: "jared@hooli.example", title: "Operations", role: .user),
                ],
                activities: [
                    A(id: "demo:hooli:a1", kind: .email, direction: .inbound, occurredAt: days(2), subject: "Considering alternatives",
                      body: "Gavin: the last two releases broke our ingest. We are evaluating other vendors.", sentiment: -0.8,
                      contact: "demo:hooli:gavin"),
                    A(id: "demo:hooli:a2", kind: .call, occurredAt: days(9), subject: "Support escalation",
                      body: "Jared escalated ticket 4411 (ingest failures).", sentiment: -0.5, contact: "demo:hooli:jared"),
                ],
                tasks: [T(id: "demo:hooli:t1", title: "Executive call with Gavin about the ingest failures", due: ahead(1),
                          priority: .urgent, assignee: "aisha")],
                orders: [O(id: "demo:hooli:o1", product: "Media pipeline licence", amount: 72_000, orderedAt: days(340))],
                memory: [M(key: "renewal-month", kind: .fact, value: "Contract renews in two months")]),
            .init(
                id: "soylent", name: "Soylent Foods", externalID: "demo:soylent", industry: "food", tier: .standard,
                monthlyBudget: 40, owner: "ines", domain: "soylent.example", consentAIAnalysis: true, consentTraining: true,
                lifecycle: .onboarding, leadStatus: .won, createdAt: days(14),
                contacts: [C(id: "demo:soylent:sol", name: "Sol Roth", email: "sol@soylent.example", title: "Operations Manager",
                             role: .champion)],
                activities: [
                    A(id: "demo:soylent:a1", kind: .meeting, occurredAt: days(6), subject: "Onboarding kick-off",
                      body: "Set up accounts for 12 users; training booked.", sentiment: 0.6, contact: "demo:soylent:sol")
                ],
                tasks: [T(id: "demo:soylent:t1", title: "Run onboarding training session", due: ahead(6), assignee: "aisha")],
                orders: [O(id: "demo:soylent:o1", product: "Standard plan (12 seats)", quantity: 12, amount: 7_200, orderedAt: days(14))],
                memory: [M(key: "goal", kind: .fact, value: "Wants to cut order-entry errors in half this year")]),
        ]
        return ImportDocument(users: users, clients: clients)
    }
}

extension DemoSeeder {
    /// Seeds the demo accounts dated relative to `now`; running it twice duplicates nothing.
    @discardableResult
    public static func seedDemo(into store: ClientStore, now: Date) throws -> ImportSummary {
        try seedDemo(into: store, users: UserRepository(store: store), now: now)
    }

    /// `seedDemo(into:now:)` on any store: the accounts through its import target (upserted by id, as an import of
    /// the same file would be), the teams and roles through its users.
    public static func seedDemo(into target: any ImportTarget, users: any UserStoring, now: Date) throws -> ImportSummary {
        let summary = try ClientImporter(target: target).importDocument(DemoData.document(now: now), file: source)
        try seedRoles(into: users, now: now)
        return summary
    }
}
