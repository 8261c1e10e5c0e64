import Foundation
import KAMCore
import KAMStore
import Testing

/// A client's contract renewal date comes in through JSON (`renewal_date`) and CSV (`client.renewal_date`),
/// and a later import that does not name it keeps it.
@Suite struct RenewalDateImportTests {
    @Test func jsonSetsTheRenewalDateAndALaterImportWithoutItKeepsIt() throws {
        let store = try ClientStore.inMemory()
        let importer = ClientImporter(store: store)
        _ = try importer.importJSON(Data(#"{"clients": [{"id": "acme", "name": "Acme", "renewal_date": "2026-06-30"}]}"#.utf8))
        #expect(try store.client(id: "acme")?.renewalDate == ImportDate.parse("2026-06-30"))
        _ = try importer.importJSON(Data(#"{"clients": [{"id": "acme", "name": "Acme", "tier": "enterprise"}]}"#.utf8))
        let client = try #require(try store.client(id: "acme"))
        #expect(client.tier == .enterprise)
        #expect(client.renewalDate == ImportDate.parse("2026-06-30"))
        #expect(throws: (any Error).self) {
            try importer.importJSON(Data(#"{"clients": [{"id": "acme", "name": "Acme", "renewal_date": "2026-02-30"}]}"#.utf8))
        }
    }

    @Test func aCSVMappingFillsTheRenewalDate() throws {
        let mapping = CSVMapping(name: "crm", fields: ["client.name": "Company", "client.renewal_date": "Renews"])
        let store = try ClientStore.inMemory()
        _ = try ClientImporter(store: store).importCSV("Company,Renews\nAcme Corp,2027-01-15\n", mapping: mapping)
        #expect(try store.client(id: "acme-corp")?.renewalDate == ImportDate.parse("2027-01-15"))
        #expect(throws: ImportError.self) {
            try ClientImporter(store: store).importCSV("Company,Renews\nAcme Corp,next spring\n", mapping: mapping)
        }
    }
}
