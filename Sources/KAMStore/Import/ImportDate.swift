import Foundation
import KAMCore

/// Parsing and printing of the dates import files carry: `YYYY-MM-DD` (midnight UTC) and
/// ISO-8601 date-times (`2024-03-05T14:30:00Z`, `2024-03-05T14:30:00.250+02:00`).
///
/// Written by hand rather than with `DateFormatter`: it rejects impossible days (`2023-02-30`,
/// `2023-13-45`) instead of rolling them over, needs no shared formatter, and parses a million
/// activity dates in well under a second.
public enum ImportDate {
    /// The date `text` names, or nil when it is not one of the accepted forms or not a real day.
    public static func parse(_ text: String) -> Date? {
        var utf8 = Array(text.utf8)
        if let first = utf8.first, let last = utf8.last, first >= 0x80 || last >= 0x80 {
            utf8 = Array(text.trimmingCharacters(in: .whitespaces).utf8)  // Unicode spaces: rare, and slow to trim
        } else {
            while let last = utf8.last, last == 0x20 || last == 0x09 { utf8.removeLast() }
            let start = utf8.firstIndex { $0 != 0x20 && $0 != 0x09 } ?? utf8.count
            utf8.removeFirst(start)
        }
        guard utf8.count >= 10 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 else { return nil }
                value = value * 10 + Int(utf8[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), utf8[4] == UInt8(ascii: "-"), let month = number(5..<7),
            utf8[7] == UInt8(ascii: "-"), let day = number(8..<10), (1...12).contains(month),
            day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = Double(daysFromCivil(year: year, month: month, day: day)) * 86_400
        if utf8.count == 10 { return Date(timeIntervalSince1970: seconds) }
        guard utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: " "), utf8.count >= 16,
            let hour = number(11..<13), utf8[13] == UInt8(ascii: ":"), let minute = number(14..<16),
            hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        var index = 16
        if index < utf8.count, utf8[index] == UInt8(ascii: ":") {
            guard let second = number(17..<19), second < 61 else { return nil }
            seconds += Double(second)
            index = 19
            if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
                index += 1
                var scale = 0.1
                let start = index
                while index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 {
                    seconds += Double(utf8[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
                guard index > start else { return nil }
            }
        }
        if index == utf8.count { return Date(timeIntervalSince1970: seconds) }  // no zone: UTC
        if utf8[index] == UInt8(ascii: "Z") || utf8[index] == UInt8(ascii: "z") {
            return index + 1 == utf8.count ? Date(timeIntervalSince1970: seconds) : nil
        }
        guard utf8[index] == UInt8(ascii: "+") || utf8[index] == UInt8(ascii: "-") else { return nil }
        let sign: Double = utf8[index] == UInt8(ascii: "+") ? 1 : -1
        let zone = Array(utf8[(index + 1)...]).filter { $0 != UInt8(ascii: ":") }
        guard zone.count == 4, zone.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let zoneHours = Int(zone[0] - 48) * 10 + Int(zone[1] - 48)
        let zoneMinutes = Int(zone[2] - 48) * 10 + Int(zone[3] - 48)
        seconds -= sign * Double(zoneHours * 3600 + zoneMinutes * 60)
        return Date(timeIntervalSince1970: seconds)
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func day(_ date: Date) -> String { UTCTimestamp.day(date) }

    /// `YYYY-MM-DDTHH:MM:SSZ` of `date` (whole seconds, UTC).
    public static func dateTime(_ date: Date) -> String { UTCTimestamp.dateTime(date) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
