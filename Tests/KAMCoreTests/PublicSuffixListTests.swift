import Foundation
import KAMCore
import Testing

@Suite("Public Suffix List matcher")
struct PublicSuffixListTests {
    /// A small list in the real file's format: both sections, a wildcard with exceptions, an IDN rule.
    static let list = PublicSuffixList(text: """
        // This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.
        // VERSION: 2026-01-01_00-00-00_UTC

        // ===BEGIN ICANN DOMAINS===
        com
        uk
        co.uk
        gov.uk
        *.sch.uk
        au
        com.au
        jp
        co.jp
        *.kobe.jp
        !city.kobe.jp
        ck
        *.ck
        !www.ck
        io
        cn
        公司.cn
        tech   // text after a rule is ignored
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        github.io
        blogspot.com
        // ===END PRIVATE DOMAINS===
        """)

    @Test("the longest rule wins, in both sections, for every name and depth")
    func registrableDomains() {
        let suffixes = ["com", "co.uk", "gov.uk", "com.au", "co.jp", "github.io", "blogspot.com", "tech", "io", "公司.cn"]
        let names = ["alpha", "bravo", "acme-corp", "x1", "食狮"]
        for suffix in suffixes {
            for name in names {
                for sub in ["", "www.", "mail.eu.", "a.b.c."] {
                    let host = sub + name + "." + suffix
                    #expect(Self.list.registrableDomain(of: host) == name + "." + suffix, "\(host)")
                    #expect(Self.list.match(host)?.publicSuffix == suffix, "\(host)")
                }
            }
            #expect(Self.list.registrableDomain(of: suffix) == nil, "\(suffix) is a public suffix")
        }
        #expect(Self.list.match("x.github.io")?.section == .privateDomains)
        #expect(Self.list.match("x.co.uk")?.section == .icann)
    }

    @Test("ICANN-only matching ignores the private section")
    func icannOnly() {
        #expect(Self.list.registrableDomain(of: "alice.github.io", includingPrivate: false) == "github.io")
        #expect(Self.list.registrableDomain(of: "alice.github.io") == "alice.github.io")
        #expect(Self.list.registrableDomain(of: "a.b.blogspot.com", includingPrivate: false) == "blogspot.com")
    }

    @Test("a wildcard matches any one label; an exception beats it")
    func wildcardsAndExceptions() {
        for label in ["a", "test", "b-2", "xn--p1ai"] {
            #expect(Self.list.registrableDomain(of: "\(label).ck") == nil, "*.ck makes \(label).ck a suffix")
            #expect(Self.list.registrableDomain(of: "shop.\(label).ck") == "shop.\(label).ck")
            #expect(Self.list.registrableDomain(of: "www.shop.\(label).ck") == "shop.\(label).ck")
            #expect(Self.list.registrableDomain(of: "x.\(label).kobe.jp") == "x.\(label).kobe.jp")
            #expect(Self.list.registrableDomain(of: "school.\(label).sch.uk") == "school.\(label).sch.uk")
        }
        #expect(Self.list.registrableDomain(of: "www.ck") == "www.ck")
        #expect(Self.list.registrableDomain(of: "www.www.ck") == "www.ck")
        #expect(Self.list.match("www.ck")?.publicSuffix == "ck")
        #expect(Self.list.registrableDomain(of: "city.kobe.jp") == "city.kobe.jp")
        #expect(Self.list.registrableDomain(of: "www.city.kobe.jp") == "city.kobe.jp")
    }

    @Test("a TLD no rule lists: its last label is the suffix (the implicit * rule)")
    func implicitRule() {
        for tld in ["example", "zz", "internal"] {
            #expect(Self.list.registrableDomain(of: "acme.\(tld)") == "acme.\(tld)")
            #expect(Self.list.registrableDomain(of: "a.b.acme.\(tld)") == "acme.\(tld)")
            #expect(Self.list.match(tld)?.section == nil)
            #expect(Self.list.registrableDomain(of: tld) == nil)
        }
    }

    @Test("case, punycode and malformed hosts")
    func normalisation() {
        #expect(Self.list.registrableDomain(of: "WWW.Alpha.CO.UK") == "alpha.co.uk")
        #expect(Self.list.registrableDomain(of: "www.xn--85x722f.xn--55qx5d.cn") == "xn--85x722f.xn--55qx5d.cn")
        #expect(Self.list.registrableDomain(of: "xn--55qx5d.cn") == nil)
        for bad in ["", ".", ".com", "alpha.com.", "a..b.com", ".alpha.co.uk"] {
            #expect(Self.list.match(bad) == nil, "'\(bad)'")
        }
        #expect(Self.list.version == "2026-01-01_00-00-00_UTC")
        #expect(Self.list.ruleCount == 20)
    }
}
