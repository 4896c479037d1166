import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import Revscoring

@main
struct ScoreCLI: AsyncParsableCommand {
    static func main() async {
        // Rows are scored one at a time or in small batches: OpenBLAS threads would only spin.
        BLAS.setThreadCount(1)
        do {
            var command = try parseAsRoot()
            if command is Serve {
                // A request's work (HTTP parsing, MediaWiki API calls, scoring) hops between
                // Swift Concurrency's pool and NIO's event loops; running tasks on the event loops
                // themselves removes those thread switches (most of the added latency of a small
                // request). Only for the server, and before it starts any task.
                NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "score-cli",
        abstract: "Score Wikipedia edits with revscoring models, natively.",
        subcommands: [Score.self, Serve.self, Batch.self, Predict.self, Extract.self, Info.self, Bench.self])
}

/// Writes to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Loads a model file, turning failures into a clean exit.
func loadModel(_ path: String) throws -> Model {
    do {
        return try Model(contentsOf: URL(fileURLWithPath: path))
    } catch {
        printError("score-cli: \(error)")
        throw ExitCode(2)
    }
}
