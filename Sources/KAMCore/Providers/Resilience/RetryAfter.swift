import Foundation

/// Parses HTTP `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
///
/// The core reads no clock, so an HTTP-date is turned into a delay against a reference time the
/// caller passes — preferably the response's own `Date` header, which is on the server's clock.
public enum RetryAfter {
    /// The delay the header asks for, or `nil` when it is absent or unreadable. Negative delays become zero.
    public static func parse(_ value: String?, now: Date?) -> Duration? {
        guard let raw = value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw), seconds.isFinite {
            return .milliseconds(Int64((max(seconds, 0) * 1000).rounded()))
        }
        guard let now, let date = httpDate(raw) else { return nil }
        let seconds = max(date.timeIntervalSince(now), 0)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), also the obsolete RFC 850 and asctime forms.
    public static func httpDate(_ text: String) -> Date? {
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    private static let formats = ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"]
}
