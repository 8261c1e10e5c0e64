import Foundation
import KAMStore

/// libFuzzer entry point for `CSVReader` behind the import's UTF-8 check.
///
/// Invariants: records start on increasing physical lines within the file, and writing the records
/// back with every field quoted reads back as the same fields (a quoting or line-end slip loses or
/// merges fields silently, which is how an import corrupts data without an error).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for encoding in [ImportEncoding.utf8, .windows1252] {
        guard let text = try? encoding.decode(Data(bytes), file: "fuzz.csv"),
            let records = try? CSVReader().records(text)
        else { continue }
        let lineCount = bytes.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        var previous = 0
        for record in records {
            precondition(record.line > previous && record.line <= lineCount, "record line \(record.line) out of order")
            precondition(!record.fields.isEmpty, "a record without fields on line \(record.line)")
            previous = record.line
        }
        let written = records.map { record in
            record.fields.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        }.joined(separator: "\r\n")
        let reread: [CSVReader.Record]
        do {
            reread = try CSVReader().records(written)
        } catch {
            fatalError("the quoted rewrite does not read: \(error)\n\(written)")
        }
        precondition(
            reread.map { $0.fields.map { Array($0.utf8) } } == records.map { $0.fields.map { Array($0.utf8) } },
            "fields changed on a quoted rewrite\nbefore: \(records.map(\.fields))\nafter: \(reread.map(\.fields))")
    }
    return 0
}
