import Foundation
import Testing
@testable import Revscoring

/// Damaged model files and bad feature rows: typed errors, never crashes.
@Suite("Malformed input")
struct MalformedModelTests {
    static let fixtureModels = Paths.fixtures.appendingPathComponent("models")

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.fixtureModels.appendingPathComponent(name)))
    }

    @Test("every truncation of a model file is a typed error")
    func truncated() throws {
        let full = try bytes("enwiki.goodfaith.gradient_boosting.small.model")
        let cuts = Set((0..<150).map { $0 * full.count / 150 } + [1, 2, full.count - 1])
        for cut in cuts.sorted() {
            #expect(throws: ModelFileError.self, "truncated at \(cut) of \(full.count)") {
                _ = try Model(bytes: Array(full[..<cut]))
            }
        }
    }

    /// A bounded fuzz test: seeded random byte mutations of real model files. Each mutant must
    /// either fail to load with a ModelFileError, or load and then score (or refuse to score) a
    /// row with a typed error. A crash fails the whole test run.
    @Test("seeded mutations of model files never crash", arguments: [
        "size_class.logistic_regression.model", "size_class.random_forest.model",
        "enwiki.goodfaith.gaussian_nb.model", "size_class.poly_svc.model",
    ])
    func mutations(_ name: String) throws {
        let original = try bytes(name)
        var generator = SplitMix64(seed: 0x5EED_0000 ^ UInt64(name.utf8.count))
        var loaded = 0, refused = 0
        let row = [Double](repeating: 0.5, count: 80)
        for _ in 0..<120 {
            var mutant = original
            let edits = 1 + Int(generator.next() % 8)
            for _ in 0..<edits {
                let at = Int(generator.next() % UInt64(mutant.count))
                switch generator.next() % 4 {
                case 0: mutant[at] ^= UInt8(1 << (generator.next() % 8))  // bit flip
                case 1: mutant[at] = UInt8(truncatingIfNeeded: generator.next())  // random byte
                case 2: mutant.remove(at: at)  // deletion
                default: mutant.insert(UInt8(truncatingIfNeeded: generator.next()), at: at)  // insertion
                }
            }
            do {
                let model = try Model(bytes: mutant)
                loaded += 1
                _ = try? model.score(Array(row.prefix(model.featureNames.count)))
            } catch {
                refused += 1
            }
        }
        #expect(loaded + refused == 120)
        print("\(name): \(loaded) mutants loaded, \(refused) refused with a typed error")
    }

    @Test("wrong feature count, NaN and infinity are refused with the position")
    func badRows() throws {
        let model = try Model(contentsOf: Self.fixtureModels.appendingPathComponent("enwiki.goodfaith.gradient_boosting.small.model"))
        let good = [Double](repeating: 0, count: 80)
        #expect(throws: EstimatorError.featureCountMismatch(expected: 80, got: 79)) { _ = try model.score(Array(good.dropLast())) }
        var nan = good
        nan[7] = .nan
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 7)) { _ = try model.score(nan) }
        var inf = good
        inf[3] = .infinity
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 3)) { _ = try model.score(inf) }
        #expect(throws: EstimatorError.nonFiniteValue(row: 1, column: 3)) {
            _ = try model.score(batch: Matrix(rows: [good, inf], columns: 80))
        }
        #expect(throws: EstimatorError.featureCountMismatch(expected: 80, got: 3)) {
            _ = try model.score(batch: Matrix(rows: [[1, 2, 3]], columns: 3))
        }
        // Past the first blocks of a long batch, and in the last columns (past the scaler's
        // vectors of four), the position is the row's and column's in the whole batch.
        for (row, column) in [(1050, 3), (1099, 79), (511, 78), (512, 0)] {
            var rows = [[Double]](repeating: good, count: 1100)
            rows[row][column] = row % 2 == 0 ? .nan : -.infinity
            #expect(throws: EstimatorError.nonFiniteValue(row: row, column: column)) {
                _ = try model.predict(batch: Matrix(rows: rows, columns: 80))
            }
        }
        // A value the scaler turns non-finite: finite in, infinite out.
        let scale = try #require(model.scaler?.scale, "the fixture model has a RobustScaler")
        let j = try #require(scale.firstIndex { abs($0) < 1 }, "a column the scaler divides by less than one")
        var huge = good
        huge[j] = .greatestFiniteMagnitude
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: j)) { _ = try model.score(huge) }
        for name in ["size_class.logistic_regression.model", "size_class.rbf_svc.model", "size_class.gaussian_nb.model"] {
            let m = try Model(contentsOf: Self.fixtureModels.appendingPathComponent(name))
            #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 7), "\(name)") { _ = try m.score(nan) }
        }
        // A model without a scaler: the estimator's own check refuses the value.
        let unscaled = try Model(contentsOf: Self.fixtureModels.appendingPathComponent("size_class.multinomial_nb.model"))
        #expect(unscaled.scaler == nil)
        #expect(throws: EstimatorError.nonFiniteValue(row: 0, column: 7)) { _ = try unscaled.score(Array(nan.prefix(16))) }
        #expect(String(describing: EstimatorError.nonFiniteValue(row: 0, column: 7)).contains("column 7"))
    }

    @Test("a missing file is an unreadable error naming the path")
    func missingFile() {
        #expect(throws: ModelFileError.self) { _ = try Model(contentsOf: URL(fileURLWithPath: "/nonexistent/model.bin")) }
        do {
            _ = try Model(contentsOf: URL(fileURLWithPath: "/nonexistent/model.bin"))
        } catch {
            #expect(error.description.contains("/nonexistent/model.bin"))
        }
    }
}
