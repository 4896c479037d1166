import Testing
@testable import RevscoringServer

/// The four scenarios of Lift Wing's KServe batcher documentation (maxBatchSize 32,
/// maxLatency 500 ms), on a clock the test moves.
@Suite("Inference batcher")
struct InferenceBatcherTests {
    typealias Batcher = InferenceBatcher<Int, Int, ManualClock>

    func makeBatcher(_ clock: ManualClock) -> Batcher {
        Batcher(maxBatchSize: 32, maxLatency: .milliseconds(500), clock: clock) { batch in batch.map { $0 * 10 } }
    }

    /// Polls until `condition` holds (the batcher and its timer run on other tasks).
    func eventually(_ condition: () async -> Bool) async {
        for _ in 0..<10_000 {
            if await condition() { return }
            await Task.yield()
        }
        Issue.record("condition never became true")
    }

    /// Submits `instances` at time `at`, waits until they are queued (or sent), returns the task.
    func arrive(_ batcher: Batcher, _ clock: ManualClock, at ms: Int, _ instances: [Int], sentBefore: Int)
        async -> Task<[Int], any Error>
    {
        clock.advance(to: .milliseconds(ms))
        let pendingBefore = await batcher.pendingInstances
        let task = Task { try await batcher.submit(instances) }
        await eventually {
            let pending = await batcher.pendingInstances
            let sent = await batcher.history.count
            return pending == pendingBefore + instances.count || sent > sentBefore
        }
        return task
    }

    @Test("scenario 1: 32 requests in 20 ms are sent at once when the 32nd arrives")
    func batchSizeReached() async throws {
        let clock = ManualClock()
        let batcher = makeBatcher(clock)
        var tasks: [Task<[Int], any Error>] = []
        for i in 0..<32 {
            // t = 0 … 20 ms; request 10 at 5 ms, request 32 at 20 ms.
            let t = i == 0 ? 0 : i < 9 ? i / 2 : i < 31 ? 5 + (i - 9) * 15 / 22 : 20
            tasks.append(await arrive(batcher, clock, at: t, [i], sentBefore: 0))
        }
        await eventually { await batcher.history.count == 1 }
        let history = await batcher.history
        #expect(history.count == 1)
        #expect(history.first?.sentAt.offset == .milliseconds(20))
        #expect(history.first?.instances == 32)
        #expect(history.first?.requests == 32)
        for (i, task) in tasks.enumerated() { #expect(try await task.value == [i * 10]) }
        // The latency timer of that batch must not send anything later.
        clock.advance(to: .milliseconds(600))
        for _ in 0..<100 { await Task.yield() }
        #expect(await batcher.history.count == 1)
    }

    @Test("scenario 2: four requests at 0, 120, 240, 410 ms are sent together at 500 ms")
    func latencyReached() async throws {
        let clock = ManualClock()
        let batcher = makeBatcher(clock)
        var tasks: [Task<[Int], any Error>] = []
        for (i, t) in [0, 120, 240, 410].enumerated() {
            tasks.append(await arrive(batcher, clock, at: t, [i], sentBefore: 0))
        }
        clock.advance(to: .milliseconds(499))
        for _ in 0..<100 { await Task.yield() }
        #expect(await batcher.history.isEmpty)
        clock.advance(to: .milliseconds(500))
        await eventually { await batcher.history.count == 1 }
        let sent = await batcher.history[0]
        #expect(sent.sentAt.offset == .milliseconds(500))
        #expect(sent.instances == 4 && sent.requests == 4)
        for (i, task) in tasks.enumerated() { #expect(try await task.value == [i * 10]) }
    }

    @Test("scenario 3: a lone request waits the full 500 ms and is sent alone")
    func singleRequest() async throws {
        let clock = ManualClock()
        let batcher = makeBatcher(clock)
        let task = await arrive(batcher, clock, at: 0, [7], sentBefore: 0)
        clock.advance(to: .milliseconds(499))
        for _ in 0..<100 { await Task.yield() }
        #expect(await batcher.history.isEmpty)
        clock.advance(to: .milliseconds(500))
        await eventually { await batcher.history.count == 1 }
        let sent = await batcher.history[0]
        #expect(sent.sentAt.offset == .milliseconds(500) && sent.instances == 1 && sent.requests == 1)
        #expect(try await task.value == [70])
    }

    @Test("scenario 4: 16 instances then 32 instances make one batch of 48 at 120 ms")
    func multiInstanceRequests() async throws {
        let clock = ManualClock()
        let batcher = makeBatcher(clock)
        let first = await arrive(batcher, clock, at: 0, Array(0..<16), sentBefore: 0)
        let second = await arrive(batcher, clock, at: 120, Array(100..<132), sentBefore: 0)
        await eventually { await batcher.history.count == 1 }
        let sent = await batcher.history[0]
        #expect(sent.sentAt.offset == .milliseconds(120) && sent.instances == 48 && sent.requests == 2)
        #expect(try await first.value == (0..<16).map { $0 * 10 })
        #expect(try await second.value == (100..<132).map { $0 * 10 })
    }

    @Test("a new batch gets its own latency window; scoring errors reach every request of the batch")
    func nextBatchAndErrors() async throws {
        struct Boom: Error {}
        let clock = ManualClock()
        let batcher = InferenceBatcher<Int, Int, ManualClock>(maxBatchSize: 2, maxLatency: .milliseconds(500), clock: clock) { batch in
            if batch.contains(-1) { throw Boom() }
            return batch
        }
        let a = await arrive(batcher, clock, at: 0, [1], sentBefore: 0)
        let b = await arrive(batcher, clock, at: 10, [-1], sentBefore: 0)
        await eventually { await batcher.history.count == 1 }
        await #expect(throws: Boom.self) { try await a.value }
        await #expect(throws: Boom.self) { try await b.value }
        let c = await arrive(batcher, clock, at: 400, [3], sentBefore: 1)
        clock.advance(to: .milliseconds(899))
        for _ in 0..<100 { await Task.yield() }
        #expect(await batcher.history.count == 1)
        clock.advance(to: .milliseconds(900))
        await eventually { await batcher.history.count == 2 }
        #expect(await batcher.history[1].sentAt.offset == .milliseconds(900))
        #expect(try await c.value == [3])
    }
}
