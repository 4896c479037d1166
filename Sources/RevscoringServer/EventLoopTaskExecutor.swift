import NIOCore
import NIOPosix

/// An event loop as a Swift Concurrency task executor: a scoring request's work (its MediaWiki
/// API calls, extraction, scoring) runs on the event loop that serves its connection, and stays
/// there across `await`s.
///
/// Why not only NIO's global-executor takeover (which `score-cli serve` also installs)? The
/// takeover runs every job *as the event loop's serial executor*, so each nonisolated async
/// function entered or resumed (which wants the generic executor) looks like an executor switch
/// to the runtime: the task is parked and enqueued on the loop again. callgrind counted ~100 of
/// these same-thread hops per small-page request (`swift_task_switch` → enqueue → loop tick,
/// ~10% of the request's instructions). With a task executor preference the job runs on the
/// generic executor *with this task executor*, which is what nonisolated code asks for: no
/// switch.
@available(macOS 15, *)
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// The executor of the calling thread's event loop, `nil` off the event loops (then work
    /// keeps its default executor).
    static var current: EventLoopTaskExecutor? {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return executors.first { $0.eventLoop === loop }
    }

    /// One executor per loop of the shared group (made once: `current` is asked per request).
    private static let executors: [EventLoopTaskExecutor] =
        MultiThreadedEventLoopGroup.singleton.makeIterator().map(EventLoopTaskExecutor.init)
}

/// Runs `work` with the calling event loop as its task executor preference (see
/// ``EventLoopTaskExecutor``), or as it is when not on one of the shared group's loops.
func onCurrentEventLoop<T: Sendable>(_ work: () async -> T) async -> T {
    if #available(macOS 15, *), let executor = EventLoopTaskExecutor.current {
        return await withTaskExecutorPreference(executor, operation: work)
    }
    return await work()
}
