import ArgumentParser
import Foundation
import Revscoring

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what a model file declares (revscoring's model.info).")

    @Argument(help: "A revscoring model file.")
    var modelFile: String

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let model = try loadModel(modelFile)
        let info = model.info
        if json {
            print(info.json.serialized(pythonSpacing: true))
            return
        }
        print("Model Information:")
        print("\t - type: \(info.type) (\(info.revscoringClass))")
        print("\t - version: \(info.version ?? "-")")
        if let trained = info.trained {
            print("\t - trained: \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: trained)))")
        }
        print("\t - estimator: \(info.estimatorClass)\(info.sklearnVersion.map { " (scikit-learn \($0))" } ?? "")")
        let declared = info.labels.isEmpty ? "-" : info.labels.map(\.description).joined(separator: ", ")
        print("\t - labels: \(declared) (classes_: \(model.labels.map(\.description).joined(separator: ", ")))")
        print("\t - params: \(info.params.serialized(pythonSpacing: true))")
        if case let .object(members) = info.environment {
            print("\tEnvironment:")
            for m in members { print("\t - \(m.key): \(m.value.serialized(pythonSpacing: true))") }
        }
        let statistics = StatisticsReport(statistics: info.statistics, labels: info.labels.isEmpty ? model.labels : info.labels)
        let lines = statistics.lines
        if !lines.isEmpty {
            print("\tStatistics:")
            for line in lines { print("\t" + line) }
        }
        print("\tFeatures (\(info.featureNames.count)):")
        for (i, name) in info.featureNames.enumerated() { print("\t\(i)\t\(name)") }
    }
}
