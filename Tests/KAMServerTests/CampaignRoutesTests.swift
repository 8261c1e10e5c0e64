import Foundation
import Hummingbird
import HummingbirdTesting
import KAMCore
import KAMRuntime
import KAMStore
import KAMTesting
import Testing

@testable import KAMServer

/// The campaign routes, each answer validated against openapi/campaigns.yaml: an import by a manager (a member is
/// refused, a bad row is 400), the list, one campaign, the trend.
@Suite struct CampaignRoutesTests {
    typealias World = RoleRouteWorld

    static let report = """
        Email Address,Campaign Title,Subject,Send Time,Segment,Opens,Clicks,Bounce,Unsubscribed,Clicked URLs
        a@alpha.example,Spring,Hello,2026-03-02 09:00,Customers,2,1,,,https://kam.example/pricing
        b@alpha.example,Spring,Hello,2026-03-02 09:00,Customers,0,0,soft,,
        c@gmail.com,Spring,Hello,2026-03-02 09:00,Customers,1,0,,yes,
        """

    static func body(_ csv: String, format: String = "mailchimp") throws -> ByteBuffer {
        ByteBuffer(data: try JSONSerialization.data(withJSONObject: ["format": format, "file": "spring.csv", "csv": csv]))
    }

    @Test("a manager imports; everyone lists and reads; a member cannot import; a bad row is 400 naming its line")
    func importListShow() async throws {
        let world = try await World.make()
        try await world.test { client in
            try await client.executeDocumented(uri: "/campaigns/import", method: .post, headers: world.member, body: try Self.body(Self.report)) {
                #expect($0.status == .forbidden)
            }
            let summary = try await client.executeDocumented(
                uri: "/campaigns/import", method: .post, headers: world.manager, body: try Self.body(Self.report)
            ) {
                #expect($0.status == .created)
                return try World.json($0.body)
            }
            #expect(summary["recipients"]?.intValue == 3)
            #expect(summary["free_mail"]?.intValue == 1)
            let id = try #require(summary["campaigns"]?.arrayValue?.first?["id"]?.intValue)

            let page = try await client.executeDocumented(uri: "/campaigns", method: .get, headers: world.member) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            let counts = page["items"]?.arrayValue?.first?["counts"]
            #expect(counts?["sends"]?.intValue == 3)
            #expect(counts?["bounces"]?.intValue == 1)
            #expect(counts?["opens"]?.intValue == 2)  // a, c of the two delivered
            #expect(counts?["open_rate"]?.doubleValue == 1)
            #expect(counts?["click_rate"]?.doubleValue == 0.5)
            #expect(counts?["unsubscribe_rate"]?.doubleValue == 0.5)

            let report = try await client.executeDocumented(uri: "/campaigns/\(id)", method: .get, headers: world.admin) {
                #expect($0.status == .ok)
                return try World.json($0.body)
            }
            #expect(report["links"]?.arrayValue?.first?["url"]?.stringValue == "https://kam.example/pricing")
            try await client.executeDocumented(uri: "/campaigns/999", method: .get, headers: world.admin) { #expect($0.status == .notFound) }
            try await client.executeDocumented(uri: "/campaigns/trends", method: .get, headers: world.member) { #expect($0.status == .ok) }

            let bad = Self.report.replacingOccurrences(of: "2,1,,,", with: "2,1,maybe,,")
            try await client.executeDocumented(uri: "/campaigns/import", method: .post, headers: world.admin, body: try Self.body(bad)) {
                #expect($0.status == .badRequest)
                #expect(World.errorCode($0.body) == "import.invalid-rows")
                #expect(String(buffer: $0.body).contains("spring.csv:2"))
            }
            try await client.executeDocumented(uri: "/campaigns/import", method: .post, headers: world.admin, body: try Self.body(Self.report, format: "excel")) {
                #expect($0.status == .badRequest)
            }
        }
    }
}
