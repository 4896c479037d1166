import FakeMediaWikiAPI
import Foundation
import NIOCore
import NIOPosix

// fake-mwapi DOCUMENTS.jsonl [PORT] [DELAY_MS]
//
// Serves revision documents as a MediaWiki Action API on 127.0.0.1:PORT/w/api.php until
// killed: the peer of live scoring in benchmarks and manual runs, never contacting a wiki.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: fake-mwapi DOCUMENTS.jsonl [PORT] [DELAY_MS]\n".utf8))
    exit(2)
}
let port = arguments.count > 2 ? Int(arguments[2]) ?? -1 : 8081
let delay = arguments.count > 3 ? Int(arguments[3]) ?? -1 : 0
guard (0...65535).contains(port), delay >= 0 else {
    FileHandle.standardError.write(Data("fake-mwapi: PORT must be 0...65535 and DELAY_MS a non-negative integer\n".utf8))
    exit(2)
}
// Tasks run on the NIO event loops that serve the sockets (as `score-cli serve` does), not
// on a second thread pool that every request would hop to and back.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
let api: FakeMediaWikiAPI
do {
    api = try FakeMediaWikiAPI(contentsOf: URL(fileURLWithPath: arguments[1]), faults: .init(delay: .milliseconds(delay)),
                                 recordsRequests: false)
} catch {
    FileHandle.standardError.write(Data("fake-mwapi: \(arguments[1]): \(error)\n".utf8))
    exit(2)
}
try await api.withServer(port: port) { url in
    FileHandle.standardOutput.write(Data((url + "\n").utf8))
    while true { try await Task.sleep(for: .seconds(3600)) }
}
