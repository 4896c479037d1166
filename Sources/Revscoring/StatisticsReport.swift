import Foundation

/// revscoring's text rendering of classification statistics (`model.info.format()`'s
/// "Statistics:" part): counts, rates and each micro/macro metric as tables, rounded to 3
/// digits as revscoring rounds them, laid out as `tabulate`'s "simple" format lays them out.
///
/// Statistics of another shape (revscoring 0.x `test_stats`) are listed key by key as JSON.
public struct StatisticsReport: Sendable {
    /// The statistics as recorded in the model file.
    public let statistics: JSONValue
    /// The model's labels, in revscoring's order.
    public let labels: [Label]

    /// Columns wider than this in total are printed one label per row instead (revscoring's
    /// `MAX_COLUMNS_WIDTH_CHARS`).
    static let maxColumnsWidth = 80
    static let digits = 3

    /// A report of `statistics` for a model with `labels`.
    public init(statistics: JSONValue, labels: [Label]) {
        self.statistics = statistics
        self.labels = labels
    }

    /// The report's lines, without the "Statistics:" heading, as revscoring indents them
    /// below it (one tab; tables two).
    public var lines: [String] {
        guard let members = statistics.members else { return [] }
        var out: [String] = []
        for m in members where m.key != "thresholds" {
            switch m.key {
            case "counts": out += counts(m.value) ?? json(m)
            case "rates": out += rates(m.value) ?? json(m)
            default: out += microMacro(m.key, m.value) ?? json(m)
            }
        }
        return out
    }

    private func json(_ m: JSONValue.Member) -> [String] { [" - \(m.key): \(m.value.serialized(pythonSpacing: true))"] }

    /// Python's `str` and `repr` of the label whose JSON key is `key`.
    private func str(_ key: String) -> String {
        switch labels.first(where: { $0.description == key }) {
        case let .bool(b)?: return b ? "True" : "False"
        case let .int(i)?: return String(i)
        case let .string(s)?: return s
        case nil: return key
        }
    }

    private func repr(_ key: String) -> String {
        if case let .string(s)? = labels.first(where: { $0.description == key }) { return pythonRepr(s) }
        return str(key)
    }

    /// revscoring's `util.round`: `int(round(x * 10**n)) / 10**n`.
    static func round(_ x: Double) -> Double {
        let scale = 1000.0
        return (x * scale).rounded(.toNearestOrEven).rounded(.towardZero) / scale
    }

    private func counts(_ v: JSONValue) -> [String]? {
        guard let n = v["n"]?.intValue, let totals = v["labels"]?.members, let predictions = v["predictions"]?.members else {
            return nil
        }
        var rows: [[Tabulate.Cell]] = []
        for p in predictions {
            guard let perPrediction = p.value.members else { return nil }
            let total = totals.first { $0.key == p.key }?.value.intValue
            rows.append([.text(repr(p.key)), total.map(Tabulate.Cell.int) ?? .missing, .text("-->")]
                + perPrediction.map { $0.value.intValue.map(Tabulate.Cell.int) ?? .missing })
        }
        let headers = ["label", "n", ""] + totals.map { "~" + str($0.key) }
        return ["counts (n=\(n)):"] + Tabulate.simple(rows, headers: headers).map { "\t" + $0 }
    }

    private func rates(_ v: JSONValue) -> [String]? {
        guard let groups = v.members, let sample = v["sample"]?.members else { return nil }
        let keys = sample.map(\.key)
        func value(_ group: JSONValue, _ key: String) -> Tabulate.Cell {
            guard let x = group[key]?.doubleValue else { return .missing }
            return .float(Self.round(x))
        }
        let table: [String]
        if columnsWidth(keys) < Self.maxColumnsWidth {
            table = Tabulate.simple(groups.map { g in [.text(g.key)] + keys.map { value(g.value, $0) } },
                                    headers: [""] + keys.map(repr))
        } else {
            table = Tabulate.simple(keys.map { k in [.text(str(k))] + groups.map { value($0.value, k) } },
                                    headers: [""] + groups.map(\.key))
        }
        return ["rates:"] + table.map { "\t" + $0 }
    }

    private func microMacro(_ name: String, _ v: JSONValue) -> [String]? {
        guard let perLabel = v["labels"]?.members, v["micro"] != nil else { return nil }
        func text(_ x: JSONValue?) -> String { x?.doubleValue.map { Self.pythonFloat(Self.round($0)) } ?? "None" }
        let cells = perLabel.map { $0.value.doubleValue.map { Tabulate.Cell.float(Self.round($0)) } ?? .missing }
        let table: [String]
        if columnsWidth(perLabel.map(\.key)) < Self.maxColumnsWidth {
            table = Tabulate.simple([cells], headers: perLabel.map { str($0.key) })
        } else {
            table = Tabulate.simple(zip(perLabel, cells).map { [.text(str($0.key)), $1] }, headers: nil)
        }
        return ["\(name) (micro=\(text(v["micro"])), macro=\(text(v["macro"]))):"] + table.map { "\t" + $0 }
    }

    private func columnsWidth(_ keys: [String]) -> Int {
        keys.reduce(0) { $0 + max(str($1).count + 2, Self.digits + 4) }
    }

    /// Python's `str(float)`: shortest round-trip digits, `.0` for integral values.
    static func pythonFloat(_ x: Double) -> String {
        JSONValue.format(x)
    }
}

/// The parts of python-tabulate's "simple" format that revscoring's tables use: strings
/// left-aligned, numbers right-aligned on their decimal points, columns at least two wider
/// than their header, two spaces between columns, a dashed line under the headers (or above
/// and below the rows when there are none), trailing spaces stripped.
enum Tabulate {
    enum Cell {
        case text(String)
        case int(Int)
        case float(Double)
        case missing
    }

    static func simple(_ rows: [[Cell]], headers: [String]?) -> [String] {
        let columns = max(rows.map(\.count).max() ?? 0, headers?.count ?? 0)
        var formatted: [[String]] = []
        var widths: [Int] = []
        var numeric: [Bool] = []
        for c in 0..<columns {
            let cells = rows.map { c < $0.count ? $0[c] : .missing }
            let isNumber = cells.allSatisfy {
                switch $0 { case .text: return false; default: return true }
            } && cells.contains {
                if case .missing = $0 { return false } else { return true }
            }
            let isFloat = cells.contains { if case .float = $0 { return true } else { return false } }
            var texts: [String] = cells.map {
                switch $0 {
                case let .text(s): return s
                case let .int(i): return isFloat ? gFormat(Double(i)) : String(i)
                case let .float(x): return gFormat(x)
                case .missing: return ""
                }
            }
            if isNumber {
                // Decimal alignment: pad after the number so the points line up.
                let after = texts.map { t -> Int in
                    guard !t.isEmpty else { return -1 }
                    guard let dot = t.firstIndex(of: ".") else { return -1 }
                    return t.distance(from: dot, to: t.endIndex) - 1
                }
                let most = after.max() ?? -1
                texts = zip(texts, after).map { t, a in t.isEmpty ? t : t + String(repeating: " ", count: most - a) }
            }
            let headerWidth = headers.map { c < $0.count ? $0[c].count + 2 : 0 } ?? 0
            let width = max(headerWidth, texts.map(\.count).max() ?? 0)
            widths.append(width)
            numeric.append(isNumber)
            formatted.append(texts.map { isNumber ? pad(left: $0, width) : pad(right: $0, width) })
        }
        var out: [String] = []
        let dashes = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        if let headers {
            out.append((0..<columns).map { c in
                let h = c < headers.count ? headers[c] : ""
                return numeric[c] ? pad(left: h, widths[c]) : pad(right: h, widths[c])
            }.joined(separator: "  "))
            out.append(dashes)
        } else {
            out.append(dashes)
        }
        for r in rows.indices { out.append((0..<columns).map { formatted[$0][r] }.joined(separator: "  ")) }
        if headers == nil { out.append(dashes) }
        // tabulate strips each line's trailing spaces.
        return out.map { line in String(line[..<(line.lastIndex { $0 != " " }.map(line.index(after:)) ?? line.startIndex)]) }
    }

    static func pad(left s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
    static func pad(right s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }

    /// Python's `format(x, "g")`: six significant digits, trailing zeros dropped.
    static func gFormat(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        return String(format: "%g", x)
    }
}
