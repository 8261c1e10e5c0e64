import Foundation

/// Turns the due hint of an action item ("by Friday", "tomorrow", "2025-03-14", "in 3 days", "end of
/// month") into a date, relative to when the email was sent.
///
/// Pure: the reference date is passed in, never read from a clock. A due date falls on `dueHour`
/// (17:00 by default) in `timeZone` of the day it names. Hints it cannot read give nil, and the task
/// is created without a due date rather than with a guess. Numeric dates such as `3/4` are not read:
/// whether they mean March 4 or April 3 depends on the sender.
public struct DueHintParser: Sendable, Hashable {
    public var timeZone: TimeZone
    public var dueHour: Int

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!, dueHour: Int = 17) {
        self.timeZone = timeZone
        self.dueHour = dueHour
    }

    /// The date `hint` names, relative to `reference`; nil when it names none.
    public func due(from hint: String?, relativeTo reference: Date) -> Date? {
        guard let hint else { return nil }
        let words = Self.words(hint)
        guard !words.isEmpty else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2  // weeks start on Monday
        let today = calendar.startOfDay(for: reference)
        guard let day = self.day(words, hint: hint, today: today, calendar: calendar) else { return nil }
        return calendar.date(bySettingHour: dueHour, minute: 0, second: 0, of: day)
    }

    // MARK: - Rules

    private func day(_ w: [String], hint: String, today: Date, calendar: Calendar) -> Date? {
        func add(_ component: Calendar.Component, _ value: Int, to date: Date = today) -> Date? {
            calendar.date(byAdding: component, value: value, to: date)
        }
        let text = " " + w.joined(separator: " ") + " "
        func has(_ phrase: String) -> Bool { text.contains(" " + phrase + " ") }

        if let iso = Self.isoDate(hint, calendar: calendar) { return iso }
        if has("day after tomorrow") { return add(.day, 2) }
        if has("tomorrow") || has("tmrw") || has("tmr") { return add(.day, 1) }
        if has("today") || has("tonight") || has("eod") || has("cob") || has("end of day") || has("end of the day")
            || has("end of business") || has("close of business") || has("asap") || has("as soon as possible")
            || has("immediately") || has("right away") || has("this afternoon") || has("this morning")
            || has("this evening") || has("urgent") || has("urgently")
        {
            return today
        }
        // Relative amounts: "in 3 days", "within two weeks", "48 hours", "a couple of days".
        if let relative = relativeDay(w, today: today, calendar: calendar) { return relative }
        let nextWeek = has("next week")
        if has("end of next week") || has("eonw") {
            return weekday(6, weekOffset: 1, today: today, calendar: calendar)
        }
        if has("end of the week") || has("end of week") || has("eow") || has("this week") {
            return endOfThisWeek(today: today, calendar: calendar)
        }
        if has("end of next month") {
            guard let next = add(.month, 1) else { return nil }
            return lastDayOfMonth(next, calendar: calendar)
        }
        if has("end of the month") || has("end of month") || has("eom") || has("this month") {
            return lastDayOfMonth(today, calendar: calendar)
        }
        if has("end of the quarter") || has("end of quarter") || has("eoq") || has("this quarter") {
            let month = calendar.component(.month, from: today)
            let quarterEndMonth = ((month - 1) / 3) * 3 + 3
            var parts = calendar.dateComponents([.year], from: today)
            parts.month = quarterEndMonth
            parts.day = 1
            return calendar.date(from: parts).flatMap { lastDayOfMonth($0, calendar: calendar) }
        }
        if has("next month") {
            var parts = calendar.dateComponents([.year, .month], from: today)
            parts.day = 1
            return calendar.date(from: parts).flatMap { calendar.date(byAdding: .month, value: 1, to: $0) }
        }
        if let monthDay = monthDate(w, today: today, calendar: calendar) { return monthDay }
        for (index, word) in w.enumerated() {
            guard let weekday = Self.weekdays[word] else { continue }
            let isNext = index > 0 && w[index - 1] == "next"
            return nextWeekday(weekday, next: isNext, today: today, calendar: calendar)
        }
        if nextWeek { return weekday(2, weekOffset: 1, today: today, calendar: calendar) }
        if let ordinal = ordinalDay(w, today: today, calendar: calendar) { return ordinal }
        return nil
    }

    /// "in 3 days", "within 2 weeks", "48 hours", "a few days", "3 business days".
    private func relativeDay(_ w: [String], today: Date, calendar: Calendar) -> Date? {
        for (index, word) in w.enumerated() {
            let unit = word.hasSuffix("s") && word.count > 3 ? String(word.dropLast()) : word
            guard ["day", "week", "hour", "month"].contains(unit), index > 0 else { continue }
            var amountIndex = index - 1
            var business = false
            if ["business", "working", "work"].contains(w[amountIndex]), amountIndex > 0 {
                business = true
                amountIndex -= 1
            }
            var amount = Self.number(w[amountIndex])
            if amount == nil, amountIndex > 0, w[amountIndex] == "of" {
                amount = Self.number(w[amountIndex - 1])
            }
            if amount == nil, ["a", "an", "one"].contains(w[amountIndex]) { amount = 1 }
            guard let amount, amount >= 0, amount <= 3660 else { continue }
            switch unit {
            case "hour": return calendar.date(byAdding: .day, value: (amount + 23) / 24, to: today)
            case "week": return calendar.date(byAdding: .day, value: 7 * amount, to: today)
            case "month": return calendar.date(byAdding: .month, value: amount, to: today)
            default:
                guard business else { return calendar.date(byAdding: .day, value: amount, to: today) }
                var day = today
                var left = amount
                while left > 0 {
                    guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
                    day = next
                    if !calendar.isDateInWeekend(day) { left -= 1 }
                }
                return day
            }
        }
        return nil
    }

    /// "March 14", "14 March", "Mar 14th 2026", "the 14th of March": the next such day on or after today
    /// when no year is given.
    private func monthDate(_ w: [String], today: Date, calendar: Calendar) -> Date? {
        for (index, word) in w.enumerated() {
            guard let month = Self.months[word] else { continue }
            var day: Int?
            var yearIndex: Int?
            if index + 1 < w.count, let after = Self.dayNumber(w[index + 1]) {
                day = after
                yearIndex = index + 2
            } else if index > 0, let before = Self.dayNumber(w[index - 1]) {
                day = before
                yearIndex = index + 1
            } else if index > 1, w[index - 1] == "of", let before = Self.dayNumber(w[index - 2]) {
                day = before
                yearIndex = index + 1
            }
            guard let day else { continue }
            var year = calendar.component(.year, from: today)
            var explicitYear = false
            if let yearIndex, yearIndex < w.count, let value = Int(w[yearIndex]), (1970...2200).contains(value) {
                year = value
                explicitYear = true
            }
            guard let date = Self.date(year: year, month: month, day: day, calendar: calendar) else { return nil }
            if !explicitYear, date < today {
                return Self.date(year: year + 1, month: month, day: day, calendar: calendar)
            }
            return date
        }
        return nil
    }

    /// "the 15th": this month's 15th, or next month's when that has passed.
    private func ordinalDay(_ w: [String], today: Date, calendar: Calendar) -> Date? {
        for word in w {
            guard word.count > 2, ["st", "nd", "rd", "th"].contains(String(word.suffix(2))),
                let day = Int(word.dropLast(2)), (1...31).contains(day)
            else { continue }
            let parts = calendar.dateComponents([.year, .month], from: today)
            guard let year = parts.year, let month = parts.month else { return nil }
            if let date = Self.date(year: year, month: month, day: day, calendar: calendar), date >= today { return date }
            let nextMonth = month == 12 ? 1 : month + 1
            return Self.date(year: month == 12 ? year + 1 : year, month: nextMonth, day: day, calendar: calendar)
        }
        return nil
    }

    /// The coming `weekday` (1 Sunday ... 7 Saturday) after today (a week later when today is that day);
    /// "next Friday" said early in a week means the Friday of the following week.
    private func nextWeekday(_ weekday: Int, next: Bool, today: Date, calendar: Calendar) -> Date? {
        let current = calendar.component(.weekday, from: today)
        var ahead = (weekday - current + 7) % 7
        if ahead == 0 { ahead = 7 }
        guard var date = calendar.date(byAdding: .day, value: ahead, to: today) else { return nil }
        if next, calendar.isDate(date, equalTo: today, toGranularity: .weekOfYear),
            let later = calendar.date(byAdding: .day, value: 7, to: date)
        {
            date = later
        }
        return date
    }

    /// `weekday` (1 Sunday ... 7 Saturday) of the week `weekOffset` weeks from today's (weeks start Monday).
    private func weekday(_ weekday: Int, weekOffset: Int, today: Date, calendar: Calendar) -> Date? {
        guard let start = calendar.dateInterval(of: .weekOfYear, for: today)?.start,
            let week = calendar.date(byAdding: .day, value: 7 * weekOffset, to: start)
        else { return nil }
        let fromMonday = (weekday + 5) % 7
        return calendar.date(byAdding: .day, value: fromMonday, to: week)
    }

    /// This week's Friday, or the coming Friday on a weekend.
    private func endOfThisWeek(today: Date, calendar: Calendar) -> Date? {
        let current = calendar.component(.weekday, from: today)
        if current == 7 || current == 1 { return nextWeekday(6, next: false, today: today, calendar: calendar) }
        return weekday(6, weekOffset: 0, today: today, calendar: calendar)
    }

    private func lastDayOfMonth(_ date: Date, calendar: Calendar) -> Date? {
        guard let interval = calendar.dateInterval(of: .month, for: date) else { return nil }
        return calendar.date(byAdding: .day, value: -1, to: interval.end)
    }

    // MARK: - Tokens

    /// Lowercased words, split on anything but letters and digits.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// An ISO date (`2025-03-14`, also inside `2025-03-14T10:00`).
    static func isoDate(_ text: String, calendar: Calendar) -> Date? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= 10 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= scalars.count else { return nil }
            var value = 0
            for scalar in scalars[start..<start + count] {
                guard let digit = Int(String(scalar)), scalar.isASCII else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        for start in 0...(scalars.count - 10) {
            if start > 0, scalars[start - 1].properties.numericType != nil { continue }
            guard scalars[start + 4] == "-", scalars[start + 7] == "-", let year = digits(start, 4),
                let month = digits(start + 5, 2), let day = digits(start + 8, 2)
            else { continue }
            if start + 10 < scalars.count, scalars[start + 10].properties.numericType != nil { continue }
            return date(year: year, month: month, day: day, calendar: calendar)
        }
        return nil
    }

    static func date(year: Int, month: Int, day: Int, calendar: Calendar) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date
    }

    static func number(_ word: String) -> Int? {
        if let value = Int(word) { return value }
        return numberWords[word]
    }

    /// `14`, `14th`, `1st`.
    static func dayNumber(_ word: String) -> Int? {
        var digits = word
        if digits.count > 2, ["st", "nd", "rd", "th"].contains(String(digits.suffix(2))) {
            digits = String(digits.dropLast(2))
        }
        guard let value = Int(digits), (1...31).contains(value) else { return nil }
        return value
    }

    static let numberWords: [String: Int] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
        "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "couple": 2,
        "few": 3, "several": 3,
    ]

    static let weekdays: [String: Int] = [
        "sunday": 1, "sun": 1, "monday": 2, "mon": 2, "tuesday": 3, "tue": 3, "tues": 3, "wednesday": 4, "wed": 4,
        "thursday": 5, "thu": 5, "thur": 5, "thurs": 5, "friday": 6, "fri": 6, "saturday": 7, "sat": 7,
    ]

    static let months: [String: Int] = [
        "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
        "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
        "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    ]
}
