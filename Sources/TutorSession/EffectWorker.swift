import Foundation
import TutorApp
import TutorUI

/// Runs slow effects (demos) each on a thread of its own, so the interface never
/// waits for one; their results queue up as actions, and the terminal is woken
/// to take them.
final class EffectWorker: @unchecked Sendable {
    // Every mutable member is guarded by `condition`.
    private let condition = NSCondition()
    private var results: [Action] = []
    private var running = 0
    private let waker: any TerminalWaker

    init(waker: any TerminalWaker) {
        self.waker = waker
    }

    func start(_ work: @escaping @Sendable () -> Action) {
        condition.lock()
        running += 1
        condition.unlock()
        Thread { [self] in
            let action = work()
            condition.lock()
            results.append(action)
            running -= 1
            condition.broadcast()
            condition.unlock()
            waker.wake()
        }.start()
    }

    var isBusy: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running > 0
    }

    /// The results that came in since the last call, in order.
    func takeResults() -> [Action] {
        condition.lock()
        defer { condition.unlock() }
        let taken = results
        results = []
        return taken
    }

    /// Waits until no work is running, or until `deadline`; true when none is.
    func waitUntilIdle(before deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while running > 0 {
            if !condition.wait(until: deadline) { return running == 0 }
        }
        return true
    }
}
