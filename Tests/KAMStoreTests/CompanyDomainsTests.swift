import Foundation
import KAMCore
import Testing

@testable import KAMStore

@Suite("Company domains (Public Suffix List snapshot, free mail)")
struct CompanyDomainsTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/publicsuffix")

    @Test("the shipped snapshot passes the list's own test data (test_psl.txt)")
    func officialTestData() throws {
        let domains = try CompanyDomains.bundled()
        #expect(domains.suffixes.ruleCount > 9_000)
        #expect(domains.suffixes.version != nil)
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("test_psl.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where line.hasPrefix("checkPublicSuffix(") {
            // checkPublicSuffix('a.b.example.com', 'example.com');  or  (null, null)
            let arguments = line.dropFirst("checkPublicSuffix(".count).dropLast(2)
                .split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            func value(_ text: String) -> String? { text == "null" ? nil : String(text.dropFirst().dropLast()) }
            guard let host = value(arguments[0]) else { continue }
            #expect(domains.suffixes.registrableDomain(of: host) == value(arguments[1]).map { $0.lowercased() }, "\(line)")
            checked += 1
        }
        #expect(checked >= 70)
    }

    @Test("companies under shared suffixes stay apart; free mail and suffixes name nobody", arguments: [
        "com", "tech", "co.uk", "gov.uk", "com.au", "co.jp", "github.io", "co.nz", "com.br", "ac.uk",
    ])
    func owners(suffix: String) throws {
        let domains = try CompanyDomains.bundled()
        var seen: Set<String> = []
        for name in ["alpha", "bravo", "acme-corp", "nano9"] {
            for sub in ["", "mail.", "eu.sales."] {
                #expect(domains.owner(ofHost: "\(sub)\(name).\(suffix)") == .company("\(name).\(suffix)"))
            }
            seen.insert("\(name).\(suffix)")
        }
        #expect(seen.count == 4)
        #expect(domains.owner(ofHost: suffix) == .publicSuffix(suffix))
    }

    @Test("wildcard and exception rules of the real list (*.ck, !www.ck, *.kawasaki.jp)")
    func wildcards() throws {
        let domains = try CompanyDomains.bundled()
        #expect(domains.owner(ofHost: "shop.test.ck") == .company("shop.test.ck"))
        #expect(domains.owner(ofHost: "test.ck") == .publicSuffix("test.ck"))
        #expect(domains.owner(ofHost: "mail.www.ck") == .company("www.ck"))
        #expect(domains.owner(ofHost: "a.b.kawasaki.jp") == .company("a.b.kawasaki.jp"))
        #expect(domains.owner(ofHost: "www.city.kawasaki.jp") == .company("city.kawasaki.jp"))
    }

    @Test("every free-mail domain of the list, with subdomains and in capitals, is free mail")
    func freeMail() throws {
        let domains = try CompanyDomains.bundled()
        #expect(domains.freeMail.count > 100)
        for provider in domains.freeMail {
            #expect(domains.suffixes.registrableDomain(of: provider) == provider, "\(provider) is not a registrable domain")
            #expect(domains.owner(ofHost: provider) == .freeMail(provider))
            #expect(domains.owner(ofHost: provider.uppercased()) == .freeMail(provider))
        }
        for provider in ["gmail.com", "outlook.com", "hotmail.co.uk", "yahoo.co.jp", "icloud.com", "proton.me", "gmx.de",
                         "aol.com", "live.com", "msn.com", "mail.ru", "yandex.ru", "qq.com", "163.com"] {
            #expect(domains.freeMail.contains(provider), "\(provider)")
        }
        #expect(domains.owner(ofHost: "gmail.example") == .company("gmail.example"))
    }

    @Test("bare names are companies; malformed hosts are not hosts")
    func bareAndMalformed() throws {
        let domains = try CompanyDomains.bundled()
        #expect(domains.owner(ofHost: "nanolabs") == .company("nanolabs"))
        #expect(domains.owner(ofHost: "com") == .publicSuffix("com"))
        for bad in ["", "a..b.com", ".acme.com", "acme.com.", "ac me.com", "a@b.com"] {
            #expect(domains.owner(ofHost: bad) == .invalid, "'\(bad)'")
        }
        #expect(CompanyDomains.companyName(ofRegistrableDomain: "acme-corp.co.uk") == "Acme Corp")
        #expect(CompanyDomains.companyName(ofRegistrableDomain: "alice.github.io") == "Alice")
    }
}
