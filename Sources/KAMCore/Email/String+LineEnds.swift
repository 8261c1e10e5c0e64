extension String {
    /// The text with every line end as LF: CRLF and a bare CR both become LF, scalar by scalar. Replacing the string
    /// "\r\n" is not enough: "\r\r\n" is the characters "\r" and "\r\n", and replacing the second leaves "\r\n" again
    /// (the email fuzzer found a body whose CRs turned into line breaks after a write and a read).
    public var withLFLineEnds: String {
        guard utf8.contains(13) else { return self }
        var scalars = String.UnicodeScalarView()
        var afterCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                scalars.append("\n")
                afterCR = true
                continue
            }
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = false
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
