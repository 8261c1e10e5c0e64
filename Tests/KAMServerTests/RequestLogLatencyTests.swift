import Testing

@testable import KAMServer

/// The request log's `latency_ms`: milliseconds with two decimals, as `String(format: "%.2f")` wrote them.
@Suite struct RequestLogLatencyTests {
    @Test func latencyIsMillisecondsWithTwoDecimals() {
        let cases: [(Duration, String)] = [
            (.zero, "0.00"), (.microseconds(4), "0.00"), (.microseconds(6), "0.01"), (.microseconds(90), "0.09"),
            (.microseconds(1_234), "1.23"), (.microseconds(12_050), "12.05"), (.milliseconds(999), "999.00"),
            (.seconds(2), "2000.00"), (.seconds(3) + .microseconds(7_996), "3008.00"),
        ]
        for (duration, text) in cases {
            #expect(RequestLogMiddleware.milliseconds(duration) == text, "\(duration)")
        }
    }
}
