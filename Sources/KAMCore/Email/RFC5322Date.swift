import Foundation

/// Parses `Tue, 1 Oct 2023 09:15:02 +0200` (day name optional, zone numeric or obsolete names).
enum RFC5322Date {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones = ["ut": 0, "gmt": 0, "z": 0, "est": -500, "edt": -400, "cst": -600, "cdt": -500, "mst": -700,
        "mdt": -600, "pst": -800, "pdt": -700]

    static func parse(_ value: String) -> Date? {
        var text = value
        if let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        if let paren = text.firstIndex(of: "(") { text = String(text[..<paren]) }
        let parts = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard parts.count >= 4, let day = Int(parts[0]),
            let month = months.firstIndex(of: String(parts[1].lowercased().prefix(3))), var year = Int(parts[2])
        else { return nil }
        if year < 50 { year += 2000 } else if year < 100 { year += 1900 }
        let time = parts[3].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2 else { return nil }
        var offset = 0
        if parts.count >= 5 {
            let zone = parts[4]
            if let numeric = Int(zone), zone.hasPrefix("+") || zone.hasPrefix("-") {
                offset = numeric
            } else {
                offset = zones[zone.lowercased()] ?? 0
            }
        }
        var components = DateComponents()
        components.year = year
        components.month = month + 1
        components.day = day
        components.hour = time[0]
        components.minute = time[1]
        components.second = time.count > 2 ? time[2] : 0
        components.timeZone = TimeZone(secondsFromGMT: (offset / 100) * 3600 + (offset % 100) * 60)
        return Calendar(identifier: .gregorian).date(from: components)
    }
}
