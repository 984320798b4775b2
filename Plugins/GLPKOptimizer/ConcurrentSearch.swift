import Foundation
import GLPK
import Synchronization

/// The best solution the windows have found, handed to GLPK's search running
/// beside them: GLPK's callback takes it at its next heuristic call.
final class SharedIncumbent: Sendable {
    private let state = Mutex<(values: [Double]?, fresh: Bool)>((nil, false))

    /// Makes `values` the solution to offer next.
    func post(_ values: [Double]) {
        state.withLock { $0 = (values, true) }
    }

    /// The solution posted since the last call, if any.
    func takeFresh() -> [Double]? {
        state.withLock { state in
            guard state.fresh else { return nil }
            state.fresh = false
            return state.values
        }
    }
}

/// The best objective a search has to reach and the best bound it has proven,
/// shared between the windows and the search beside them.
final class SearchRace: Sendable {
    private let state = Mutex<(target: Double, bound: Double?)>((.infinity, nil))

    /// Lowers the objective of the best solution found beside the search.
    func offer(_ objective: Double) {
        state.withLock { $0.target = min($0.target, objective) }
    }

    /// Records a bound the search has proven; `true` when it reaches the best
    /// objective found beside it, within `1e-6` relative: nothing better exists.
    func reach(_ bound: Double) -> Bool {
        state.withLock { state in
            state.bound = max(state.bound ?? -.infinity, bound)
            return bound >= state.target - 1e-6 * max(1, abs(state.target))
        }
    }

    /// The best bound recorded.
    var bound: Double? { state.withLock { $0.bound } }

    /// The best objective offered, if any.
    var target: Double? { state.withLock { $0.target.isFinite ? $0.target : nil } }
}

/// A GLPK solve on a thread of its own, so that the day's full search (its root
/// LP, cuts and bound) runs while fix-and-optimize improves plans on the calling
/// thread. GLPK keeps its environment per thread (Debian builds it with
/// thread-local storage), so two solves at once do not share state.
final class BackgroundSearch: Sendable {
    /// Raised to end the search early; give it to the solve as its ``SolveOptions/cancel``.
    let cancel = InterruptFlag()
    /// Raised when the search has ended: work beside it (the windows) takes it as
    /// its own ``SolveOptions/cancel`` and stops at its next callback, rather than
    /// at the end of its window (a 30-visit day proven in 0.4 s took 4 s otherwise).
    let ended = InterruptFlag()
    private let result = Mutex<Result<SolveOutcome, GLPKError>?>(nil)
    private let done = Mutex<Bool>(false)
    private let condition = NSCondition()

    /// Starts `solve` on a new thread.
    init(_ solve: @escaping @Sendable (_ cancel: InterruptFlag) throws(GLPKError) -> SolveOutcome) {
        let thread = Thread { [self] in
            let outcome: Result<SolveOutcome, GLPKError>
            do throws(GLPKError) { outcome = .success(try solve(cancel)) } catch { outcome = .failure(error) }
            GLPKSolver.releaseThreadResources()
            result.withLock { $0 = outcome }
            ended.raise()
            condition.lock()
            done.withLock { $0 = true }
            condition.broadcast()
            condition.unlock()
        }
        // The heuristic builds plans on this thread too; give it a main thread's stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Whether the search has ended (its result is ready).
    var isFinished: Bool { done.withLock { $0 } }

    /// Asks the search to stop at its next callback.
    func stopEarly() { cancel.raise() }

    /// Waits for the search to end and returns what it found.
    func wait() throws(GLPKError) -> SolveOutcome {
        condition.lock()
        while !done.withLock({ $0 }) { condition.wait() }
        condition.unlock()
        return try outcome()
    }

    /// Waits for the search to end, at most until `deadline`: what it found, or `nil`
    /// when it is still running then. A presolved search sees no stop flag while
    /// GLPK solves its LP relaxation (seconds at 100 visits); the caller that must
    /// answer by a deadline leaves it running and drops what it finds.
    func wait(until deadline: Date) throws(GLPKError) -> SolveOutcome? {
        condition.lock()
        while !done.withLock({ $0 }) {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
        return isFinished ? try outcome() : nil
    }

    private func outcome() throws(GLPKError) -> SolveOutcome {
        guard let outcome = result.withLock({ $0 }) else {
            throw GLPKError.solverFailure("the search thread ended without a result")
        }
        return try outcome.get()
    }
}
