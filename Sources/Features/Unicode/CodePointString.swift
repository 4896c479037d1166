extension String {
    /// A string from Unicode code points, encoded to UTF-8 in one allocation (building it one
    /// scalar at a time showed up in profiles: tokens and word-list matches are made this way).
    /// Code points that are not scalar values (lone surrogates) become U+FFFD.
    init<C: Collection>(codePoints: C) where C.Element == UInt32 {
        let capacity = codePoints.count * 4
        self.init(unsafeUninitializedCapacity: capacity) { buffer in
            var n = 0
            for var c in codePoints {
                if (0xD800...0xDFFF).contains(c) || c > 0x10FFFF { c = 0xFFFD }
                switch c {
                case 0..<0x80:
                    buffer[n] = UInt8(c)
                    n += 1
                case 0x80..<0x800:
                    buffer[n] = UInt8(0xC0 | (c >> 6))
                    buffer[n + 1] = UInt8(0x80 | (c & 0x3F))
                    n += 2
                case 0x800..<0x10000:
                    buffer[n] = UInt8(0xE0 | (c >> 12))
                    buffer[n + 1] = UInt8(0x80 | ((c >> 6) & 0x3F))
                    buffer[n + 2] = UInt8(0x80 | (c & 0x3F))
                    n += 3
                default:
                    buffer[n] = UInt8(0xF0 | (c >> 18))
                    buffer[n + 1] = UInt8(0x80 | ((c >> 12) & 0x3F))
                    buffer[n + 2] = UInt8(0x80 | ((c >> 6) & 0x3F))
                    buffer[n + 3] = UInt8(0x80 | (c & 0x3F))
                    n += 4
                }
            }
            return n
        }
    }
}

extension Array where Element == UInt32 {
    /// The code points of `string` (Python's indexable view of it), decoded from its UTF-8 in
    /// one pass; `unicodeScalars.map(\.value)` went through the generic iterator, a few
    /// percent of extraction.
    init(codePointsOf string: String) {
        var string = string
        self = string.withUTF8 { utf8 in
            [UInt32](unsafeUninitializedCapacity: utf8.count) { buffer, count in
                var i = 0, n = 0
                let end = utf8.count
                while i < end {
                    // Eight ASCII bytes at a time (most of a page's text).
                    if i + 8 <= end, let base = utf8.baseAddress {
                        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        if word & 0x8080_8080_8080_8080 == 0 {
                            for k in 0..<8 { buffer[n + k] = UInt32(truncatingIfNeeded: word >> (8 * UInt64(k))) & 0xFF }
                            i += 8
                            n += 8
                            continue
                        }
                    }
                    let b0 = UInt32(utf8[i])
                    // Swift strings hold valid UTF-8, so lead bytes say the length.
                    if b0 < 0x80 {
                        buffer[n] = b0
                        i += 1
                    } else if b0 < 0xE0 {
                        buffer[n] = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                        i += 2
                    } else if b0 < 0xF0 {
                        buffer[n] = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                        i += 3
                    } else {
                        buffer[n] = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6
                            | UInt32(utf8[i + 3] & 0x3F)
                        i += 4
                    }
                    n += 1
                }
                count = n
            }
        }
    }
}
