import KAMCore
import Testing

/// The runaway detector: repeated text at the end of an answer, or a window of repeated word sequences.
@Suite struct RepetitionDetectorTests {
    /// SmolLM2-135M's follow-up body from issue #15, fed as a stream of small pieces.
    @Test func theRepeatedClientEmailIsCaughtEarly() {
        var detector = RepetitionDetector()
        var fed = #"{"subject":"Follow-up","body":"Dear Maria, "#
        var found = detector.feed(fed)
        var pieces = 0
        while found == nil, pieces < 500 {
            for piece in ["Client", " email", ":", " Maria", "Lopez", ", "] {
                fed += piece
                found = found ?? detector.feed(piece)
            }
            pieces += 1
        }
        let degeneration = try! #require(found)
        #expect(degeneration.kind == .repeatedText)
        #expect(degeneration.repeated.contains("MariaLopez"))
        #expect(degeneration.times >= 4)
        // Stopped within a few hundred characters, not at the 2,000-character limit.
        #expect(fed.count < 400)
        #expect(degeneration.description.contains("repeated"))
    }

    @Test func ordinaryAnswersPass() {
        let email = """
            {"subject":"Next steps after Tuesday","body":"Hi Ana,\\n\\nThanks for the call on Tuesday. As promised, \
            here is the summary of the inspection findings and the two options we discussed for the renewal. \
            The first keeps your current plan and adds the audit module; the second moves you to the annual \
            plan with priority support. Both include the onboarding sessions for the new team in March.\\n\\n\
            Could you let me know which option you prefer by Friday, so we can prepare the paperwork?\\n\\nBest,\\nTom",
            "call_to_action":"Reply with your choice by Friday","tone":"friendly",
            "facts_used":[{"fact":"inspection on Tuesday","source":"memory"},{"fact":"renewal in March","source":"memory"}]}
            """
        #expect(RepetitionDetector.check(email) == nil)
        let items = (1...12).map { #"{"title":"Send the report for item \#($0)","owner":"Tom","due":"2026-12-\#(10 + $0)","priority":"high"}"# }
        #expect(RepetitionDetector.check("{\"action_items\":[" + items.joined(separator: ",") + "]}") == nil)
        #expect(RepetitionDetector.check(String(repeating: "-", count: 80)) == nil)
    }

    @Test func aRunOfWhitespaceNeedsTwiceTheSpan() {
        #expect(RepetitionDetector.check("{\"a\": 1," + String(repeating: " ", count: 200)) == nil)
        let found = RepetitionDetector.check("{\"a\": 1," + String(repeating: "\n", count: 400))
        #expect(found?.kind == .repeatedText)
    }

    @Test func nearRepeatsAreCaughtByTheirWordSequences() {
        let text = (1...40).map { "\($0). We will follow up with the client about the contract soon." }.joined(separator: " ")
        let found = try! #require(RepetitionDetector.check(text))
        #expect(found.kind == .repeatedPhrases)
        #expect((found.share ?? 0) >= 0.6)
    }
}
