import Testing
@testable import GradientBoosting

@Suite("RobustScaler and the finiteness check")
struct ScalerTests {
    /// Rows of awkward values: signed zeros, subnormals, huge and tiny magnitudes.
    static func values(_ count: Int, _ generator: inout SplitMix64) -> [Double] {
        let grid: [Double] = [0, -0.0, 1, -1, 5e-324, -2.2e-308, 1e300, -1e300, 0.1, 3, 7.5e-7]
        return (0..<count).map { _ in
            generator.next() % 2 == 0 ? grid[Int(generator.next() % UInt64(grid.count))]
                                      : Double(Int64(bitPattern: generator.next() >> 12)) / 1e9
        }
    }

    @Test("scaling gives numpy's (x − center) / scale to the bit, for every column count and either part off")
    func exact() throws {
        var generator = SplitMix64(seed: 11)
        for columns in [1, 3, 4, 5, 7, 8, 9, 80, 83] {  // around the kernel's vectors of four
            let center = Self.values(columns, &generator)
            let scales: [Double] = [0.5, -3, 1, 1e-3, 7.25, 1e10, 0.1, 6.103515625e-05]
            let scale = (0..<columns).map { _ in scales[Int(generator.next() % UInt64(scales.count))] }
            for (c, s) in [(center, scale), (nil, scale), (center, nil), (nil, nil)] as [([Double]?, [Double]?)] {
                let scaler = try RobustScaler(center: c, scale: s, featureCount: columns)
                let rows = 5
                let input = Self.values(rows * columns, &generator)
                let expected = input.indices.map { i in (input[i] - (c?[i % columns] ?? 0)) / (s?[i % columns] ?? 1) }
                #expect(expected.allSatisfy { $0.isFinite })  // |x − c| ≤ 2e300, |s| ≥ 1e-3
                var inPlace = input
                try scaler.transform(&inPlace)
                var apart = [Double](repeating: .nan, count: input.count)
                try input.withUnsafeBufferPointer { i in
                    try apart.withUnsafeMutableBufferPointer { o in try scaler.transform(i, into: o) }
                }
                #expect(inPlace.map(\.bitPattern) == expected.map(\.bitPattern), "\(columns) columns")
                #expect(apart.map(\.bitPattern) == expected.map(\.bitPattern), "\(columns) columns")
            }
        }
    }

    @Test("a NaN or infinite value, in or out of the scaler, is refused with its position")
    func nonFinite() throws {
        for columns in [3, 8, 13] {
            let scaler = try RobustScaler(center: nil, scale: [Double](repeating: 1e-300, count: columns), featureCount: columns)
            for at in [0, columns - 1, 2 * columns + 1] {
                for bad in [Double.nan, .infinity, -.infinity, 1e10] {  // 1e10 / 1e-300 overflows
                    var values = [Double](repeating: 1e-10, count: 4 * columns)
                    values[at] = bad
                    #expect(throws: EstimatorError.nonFiniteValue(row: at / columns, column: at % columns)) {
                        try scaler.transform(&values)
                    }
                    if bad.isFinite { continue }
                    try values.withUnsafeBufferPointer { v in
                        #expect(throws: EstimatorError.nonFiniteValue(row: at / columns, column: at % columns)) {
                            try checkFinite(v, columns: columns)
                        }
                    }
                }
            }
        }
        let finite = [Double](repeating: -1.7976931348623157e308, count: 19)
        try finite.withUnsafeBufferPointer { try checkFinite($0, columns: 19) }
    }
}
