import MinCostFlow
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The thread that created a GLPK object; GLPK's environment is thread-local, so every
/// later call (and the free) must happen on that same thread.
struct ThreadConfinement {
    private let creator: pthread_t

    /// Records the calling thread as the owner.
init() { creator = pthread_self() }

    /// Traps unless called on the creating thread (a precondition kept, with its message, in
    /// release builds: `precondition` would drop the message under `-O`).
    @inline(__always)
func check(_ operation: StaticString) {
        if pthread_equal(creator, pthread_self()) == 0 {
            fatalError("GLPK object used on a thread other than the one that created it (\(operation)); GLPK's environment is thread-local")
        }
    }
}
