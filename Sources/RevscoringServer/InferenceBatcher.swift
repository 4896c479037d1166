/// KServe's inference batcher, in process: instances from concurrent requests are collected
/// into one batch that is scored together, then each request gets its own results back.
///
/// A batch is sent when it holds at least `maxBatchSize` instances, or when `maxLatency` has
/// passed since its first request arrived, whichever comes first. A request is never split:
/// one with more instances than `maxBatchSize` is served whole, in one (larger) batch — the
/// four scenarios of the Lift Wing KServe batcher documentation.
///
/// Generic over the clock so that tests can drive time exactly.
public actor InferenceBatcher<Instance: Sendable, Output: Sendable, C: Clock> where C.Duration == Duration {
    /// What is done with a batch: one output per instance, in order.
    public typealias Process = @Sendable ([Instance]) async throws -> [Output]

    /// Batch size that triggers scoring at once.
    public let maxBatchSize: Int
    /// The longest a batch waits for more requests.
    public let maxLatency: Duration
    private let clock: C
    private let process: Process

    private struct Waiter {
        var range: Range<Int>
        var continuation: CheckedContinuation<[Output], any Error>
    }

    private var instances: [Instance] = []
    private var waiters: [Waiter] = []
    /// Identifies the batch being collected, so that a late timer does not flush a newer one.
    private var generation = 0
    private var timer: Task<Void, Never>?

    /// A record of the latest batches sent (at most ``historyLimit``): when (on `clock`) and
    /// how many instances from how many requests. Kept for metrics and tests; bounded so that
    /// a long-running server's memory stays flat.
    public private(set) var history: [(sentAt: C.Instant, instances: Int, requests: Int)] = []
    /// How many batches ``history`` keeps.
    public let historyLimit = 1024
    /// Batches sent since the batcher was made.
    public private(set) var batchesSent = 0

    public init(maxBatchSize: Int = 32, maxLatency: Duration = .milliseconds(500), clock: C, process: @escaping Process) {
        precondition(maxBatchSize >= 1, "maxBatchSize must be at least 1")
        self.maxBatchSize = maxBatchSize
        self.maxLatency = maxLatency
        self.clock = clock
        self.process = process
    }

    /// Instances waiting in the batch being collected.
    public var pendingInstances: Int { instances.count }

    /// Submits one request's instances and returns their outputs once their batch is scored.
    public func submit(_ requestInstances: [Instance]) async throws -> [Output] {
        if requestInstances.isEmpty { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let start = instances.count
            instances.append(contentsOf: requestInstances)
            waiters.append(Waiter(range: start..<instances.count, continuation: continuation))
            if instances.count >= maxBatchSize {
                flush()
            } else if waiters.count == 1 {
                let deadline = clock.now.advanced(by: maxLatency)
                let batch = generation
                timer = Task { [clock] in
                    do {
                        try await clock.sleep(until: deadline, tolerance: nil)
                    } catch {
                        return  // cancelled: the batch was sent because it filled up
                    }
                    self.timerFired(batch)
                }
            }
        }
    }

    private func timerFired(_ batch: Int) {
        if batch == generation, !waiters.isEmpty { flush() }
    }

    /// Sends the collected batch and starts a new one.
    private func flush() {
        let batch = instances
        let batchWaiters = waiters
        instances = []
        waiters = []
        generation += 1
        timer?.cancel()
        timer = nil
        history.append((clock.now, batch.count, batchWaiters.count))
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        batchesSent += 1
        let process = self.process
        Task {
            do {
                let outputs = try await process(batch)
                guard outputs.count == batch.count else {
                    for w in batchWaiters { w.continuation.resume(throwing: BatcherError.outputCountMismatch(expected: batch.count, got: outputs.count)) }
                    return
                }
                for w in batchWaiters { w.continuation.resume(returning: Array(outputs[w.range])) }
            } catch {
                for w in batchWaiters { w.continuation.resume(throwing: error) }
            }
        }
    }
}

/// Errors of the batcher itself.
public enum BatcherError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The batch function returned a different number of outputs than it got instances.
    case outputCountMismatch(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .outputCountMismatch(expected, got): return "batch scoring returned \(got) outputs for \(expected) instances"
        }
    }
}
