import Foundation
import GRDB
import KAMCore
import KAMStore
import KAMTesting

/// `kam-bench campaign-import [ROWS] [RUNS] [PATH]`: a Mailchimp campaign report of ROWS recipient rows (default
/// 200,000: four campaigns of 50,000) imported into the 10k-client synthetic store (30k contacts): read, parse, link
/// each recipient (contact email, else registrable domain, free mail to nobody) and write, in one transaction; the
/// first run creates the campaigns, the later ones replace their recipients. Rows per second, p50 over RUNS (default
/// 5). Target (#18 item 5): >= 50,000 recipient rows/s.
enum CampaignImportBench {
    static let benchmark = Benchmark(
        name: "campaign-import",
        summary: "Campaign report import (Mailchimp CSV, 200k recipient rows) into the 10k-client store: rows/s (target >= 50,000)"
    ) { arguments in
        let rows = arguments.first.flatMap(Int.init) ?? 200_000
        let runs = arguments.dropFirst().first.flatMap(Int.init) ?? 5
        let path = arguments.dropFirst(2).first ?? "/tmp/kam-bench-campaigns.sqlite"
        let (store, _) = try SyntheticStore.generate(path: path)
        // The generator may give two contacts one address: a report lists each recipient once.
        var seen: Set<String> = []
        let emails = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id") }
            .filter { seen.insert($0.lowercased()).inserted }
        let domains = try store.writer.read { db in try String.fetchAll(db, sql: "SELECT domain FROM clients WHERE domain IS NOT NULL ORDER BY id") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kam-bench-campaign-report.csv").path
        try report(rows: rows, emails: emails, domains: domains).write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let importer = CampaignImporter(store: store, domains: try CompanyDomains.bundled())
        var rates: [Double] = []
        var linked = 0
        for _ in 0..<max(1, runs) {
            let start = now()
            let summary = try importer.importFile(at: file, vendor: .mailchimp)
            rates.append(Double(summary.recipients) / (now() - start))
            linked = summary.linkedToContacts + summary.linkedByDomain
        }
        let sorted = rates.sorted()
        return [
            BenchResult(
                benchmark: "campaign-import", metric: "recipient rows/s (\(rows) rows, \(linked) linked to clients)",
                value: sorted.reduce(0, +) / Double(sorted.count), unit: "rows/s", p50: percentile(sorted, 50), n: sorted.count)
        ]
    }

    /// Four campaigns' recipients: six in ten a contact's address, three a client domain's, one free mail; opens, clicks
    /// (with their links), bounces and unsubscribes spread through.
    static func report(rows: Int, emails: [String], domains: [String]) -> String {
        let perCampaign = max(1, rows / 4)
        var text = "Email Address,Campaign ID,Campaign Title,Subject,Send Time,Audience,Opens,Clicks,Bounce,Unsubscribed,Clicked URLs\n"
        text.reserveCapacity(rows * 120)
        for row in 0..<rows {
            let campaign = row / perCampaign, i = row % perCampaign
            let email: String
            switch i % 10 {
            case 0..<6 where i < emails.count: email = emails[i]
            case 9: email = "reader\(i)@gmail.com"
            default: email = "r\(i)@\(domains[i % domains.count])"
            }
            let clicks = i % 7 == 0 ? 1 : 0
            text += "\(email),bench\(campaign),Bench campaign \(campaign),Subject \(campaign),2026-0\(campaign % 9 + 1)-05 09:00,"
                + "Audience \(campaign % 2),\(i % 3),\(clicks),\(i % 50 == 0 ? "hard" : ""),\(i % 200 == 0 ? "yes" : ""),"
                + (clicks > 0 ? "https://kam.example/pricing;https://kam.example/blog/\(i % 5)" : "") + "\n"
        }
        return text
    }
}
