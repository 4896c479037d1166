/// A frequency table over the strings of a ``StringTable`` (by id) that remembers
/// first-occurrence order, as a Python dict does.
///
/// revscoring sums delta tables in dict order, and float sums depend on order; keeping
/// insertion order makes those sums round exactly as revscoring's.
public struct FrequencyTable: Sendable {
    /// Items (string ids) in first-occurrence order.
    public private(set) var keys: [Int32] = []
    /// Counts by id (dense: ids are small), 0 past the end.
    private var counts: [Int32] = []

    /// An empty table.
    public init() {}

    /// `frequencies.table(items)`.
    public init<S: Sequence>(_ items: S) where S.Element == Int32 {
        for item in items { add(item) }
    }

    /// The count of `item` (0 when absent).
    @inline(__always) public func count(of item: Int32) -> Int {
        Int(item) < counts.count ? Int(counts[Int(item)]) : 0
    }

    /// Counts one more `item`.
    public mutating func add(_ item: Int32) {
        let i = Int(item)
        if i >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: max(i + 1, counts.count * 2) - counts.count))
        }
        if counts[i] == 0 { keys.append(item) }
        counts[i] += 1
    }

    /// `frequencies.delta(old, new)`: changed counts in `new`'s order, then the items only in
    /// `old` (as `-count`). Those come from a set difference in Python, so their order is the
    /// set's; it never matters, because their proportional deltas are all exactly -1.0.
    public static func delta(old: FrequencyTable, new: FrequencyTable) -> [(item: Int32, delta: Int)] {
        var out: [(Int32, Int)] = []
        for item in new.keys {
            let n = new.count(of: item), o = old.count(of: item)
            if n != o { out.append((item, n - o)) }
        }
        for item in old.keys where new.count(of: item) == 0 {
            out.append((item, -old.count(of: item)))
        }
        return out
    }

    /// `frequencies.prop_delta(old, delta)`: increases over `old + 1`, decreases over `old`.
    public static func proportionalDelta(old: FrequencyTable, delta: [(item: Int32, delta: Int)]) -> [Double] {
        delta.map { entry in
            if entry.delta > 0 { return Double(entry.delta) / Double(old.count(of: entry.item) + 1) }
            return Double(entry.delta) / Double(old.count(of: entry.item))
        }
    }
}

/// The six features revscoring derives from a delta table: `*_delta_sum/increase/decrease`
/// (integer sums) and `*_prop_delta_sum/increase/decrease` (float sums in table order).
public struct DeltaSums: Sendable, Equatable {
    public var sum = 0, increase = 0, decrease = 0
    public var propSum = 0.0, propIncrease = 0.0, propDecrease = 0.0

    /// Sums the deltas of `parent` → `revision`, as revscoring's `aggregators.sum` over
    /// `dicts.values` (and `filters.positive/negative`) does.
    public init(parent: FrequencyTable, revision: FrequencyTable) {
        let delta = FrequencyTable.delta(old: parent, new: revision)
        for entry in delta {
            sum += entry.delta
            if entry.delta > 0 { increase += entry.delta }
            if entry.delta < 0 { decrease += entry.delta }
        }
        // Python's sum() adds left to right starting from 0.
        for p in FrequencyTable.proportionalDelta(old: parent, delta: delta) {
            propSum += p
            if p > 0 { propIncrease += p }
            if p < 0 { propDecrease += p }
        }
    }
}
