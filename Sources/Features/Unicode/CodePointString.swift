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
