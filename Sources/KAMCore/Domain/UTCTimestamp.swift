import Foundation

/// Days and times in UTC as `YYYY-MM-DD` and `YYYY-MM-DDTHH:MM:SSZ` (whole seconds), printed digit by digit:
/// for the many dates one import or one event payload prints, where Foundation's formatters cost the most.
///
/// For example:
///
///     UTCTimestamp.day(Date(timeIntervalSince1970: 0))       // "1970-01-01"
///     UTCTimestamp.dateTime(Date(timeIntervalSince1970: 90)) // "1970-01-01T00:01:30Z"
public enum UTCTimestamp {
    /// `YYYY-MM-DD` of `date` in UTC.
    public static func day(_ date: Date) -> String {
        String(unsafeUninitializedCapacity: 32) { buffer in write(day: date, to: buffer) }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of `date` (whole seconds, UTC).
    public static func dateTime(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(total) / 86_400).rounded(.down))
        let rest = total - days * 86_400
        return String(unsafeUninitializedCapacity: 48) { buffer in
            var count = write(day: date, to: buffer)
            buffer[count] = UInt8(ascii: "T")
            count += 1
            for (index, value) in [rest / 3600, rest % 3600 / 60, rest % 60].enumerated() {
                if index > 0 {
                    buffer[count] = UInt8(ascii: ":")
                    count += 1
                }
                count += digits(value, width: 2, to: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
            }
            buffer[count] = UInt8(ascii: "Z")
            return count + 1
        }
    }

    // Printed digit by digit rather than with `String(format:)`: an import prints a day for every
    // note it stores and a time in every activity's event, and Foundation's formatting was a twentieth
    // of a large import's time.

    /// Writes `YYYY-MM-DD` (a longer year when it has more digits) and returns how many bytes.
    private static func write(day date: Date, to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let (year, month, day) = civil(fromDays: Int((date.timeIntervalSince1970 / 86_400).rounded(.down)))
        var count = 0
        if year < 0 {
            buffer[0] = UInt8(ascii: "-")
            count = 1
        }
        // As `%04d` prints it: the sign counts towards the width.
        count += digits(abs(year), width: 4 - count, to: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
        for value in [month, day] {
            buffer[count] = UInt8(ascii: "-")
            count += 1 + digits(value, width: 2, to: UnsafeMutableBufferPointer(rebasing: buffer[(count + 1)...]))
        }
        return count
    }

    /// Writes `value` (not negative) with leading zeros to at least `width` digits; returns how many.
    private static func digits(_ value: Int, width: Int, to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var count = 1
        var rest = value / 10
        while rest > 0 {
            count += 1
            rest /= 10
        }
        count = max(count, width)
        rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        return count
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
