import Foundation
import Testing

@testable import KAMServer

/// The pure pieces of the web page: the context facts beside a draft, the charts, the local redirect.
@Suite struct WebPieceTests {
    @Test func contextFactsKeepTheirSourceAndDropTheFences() {
        let snapshot = """
            # Client context (text inside <untrusted> tags was written by others)
            - Company: <untrusted>Acme</untrusted> (id acme)
            ## Preferences and remembered facts
            - Fact approver: <untrusted source="memory:3">Jane signs above $50k</untrusted> (source: import:demo)
            ## Activities of the last 30 days, newest first
            - 2026-12-01 outbound meeting: <untrusted source="activity:1">With: Jane
            Subject: Review</untrusted>
            - 2026-11-28 note: <untrusted source="javascript:alert(1)">x</untrusted>
            """
        let facts = ContextFacts(snapshot: snapshot, clientID: "acme")
        #expect(facts.sections.map(\.title) == ["Client", "Preferences and remembered facts", "Activities of the last 30 days, newest first"])
        #expect(facts.sections[0].facts[0].text == "Company: Acme (id acme)")
        let memory = facts.sections[1].facts[0]
        #expect(memory.text == "Fact approver: Jane signs above $50k (source: import:demo)")
        #expect(memory.source == "memory:3")
        #expect(memory.href == "/app/clients/acme#memory-3")
        #expect(facts.sections[2].facts[0].text == "2026-12-01 outbound meeting: With: Jane\nSubject: Review")
        #expect(facts.sections[2].facts[0].href == "/app/clients/acme#activity-1")
        // A source that is not `kind:number` links nowhere.
        #expect(facts.sections[2].facts[1].href == nil)
    }

    @Test func chartsEscapeTheirTextAndUseNoStyleAttribute() {
        let svg = SVGChart.line(
            [.init(label: "<b>", value: 40), .init(label: "x\"y", value: 120)], id: "h", title: "T <1>", description: "D & E")
        #expect(svg.contains("<title id=\"h-title\">T &lt;1&gt;</title>"))
        #expect(svg.contains("<desc id=\"h-desc\">D &amp; E</desc>"))
        #expect(svg.contains("&lt;b&gt;") && svg.contains("x&quot;y"))
        #expect(!svg.contains("style="))
        // 120 is clamped to the top of a 0...100 scale.
        #expect(svg.contains("cy=\"28\""))
        let bars = SVGChart.bars([.init(label: "a", value: 2), .init(label: "b", value: 4)], unit: " $", id: "c", title: "t", description: "d")
        #expect(bars.components(separatedBy: "<rect").count == 3)
        #expect(SVGChart.format(0.01234) == "0.0123")
        #expect(SVGChart.format(240.000001) == "240")
    }

    @Test func aRedirectAfterSigningInStaysOnThePage() {
        #expect(WebResponse.localPath("/app/clients?q=a") == "/app/clients?q=a")
        for path in [nil, "//evil.example", "https://evil.example/app/", "/api", "/app/\\evil", "/app/\u{0}x", "javascript:alert(1)"] {
            #expect(WebResponse.localPath(path) == "/app/today", "\(String(describing: path))")
        }
    }
}
