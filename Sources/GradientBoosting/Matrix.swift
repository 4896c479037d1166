/// A dense, row-major matrix of float64 values: a batch of feature rows.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// `rows * columns` values, row after row.
    public var values: [Double]

    /// Creates a matrix from row-major values; `values.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) throws(EstimatorError) {
        guard rows >= 0, columns >= 0, rows.multipliedReportingOverflow(by: columns) == (values.count, false) else {
            throw .invalidParameters("matrix of \(rows)×\(columns) cannot hold \(values.count) values")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Creates a matrix from rows that all have `columns` values.
    public init(rows: [[Double]], columns: Int) throws(EstimatorError) {
        var values: [Double] = []
        values.reserveCapacity(rows.count * columns)
        for row in rows {
            guard row.count == columns else { throw .featureCountMismatch(expected: columns, got: row.count) }
            values.append(contentsOf: row)
        }
        self.rows = rows.count
        self.columns = columns
        self.values = values
    }

    /// The values of row `index`.
    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * columns)..<((index + 1) * columns)]
    }
}
