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
        guard let outcome = result.withLock({ $0 }) else {
            throw GLPKError.solverFailure("the search thread ended without a result")
        }
        return try outcome.get()
    }
}
