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

/// Numerical limits shared by the LP and flow front ends.
enum GLPKLimits {
    /// Largest magnitude accepted for any number passed to GLPK (2^53, where doubles stop
    /// representing every integer).
    static let maxMagnitude: Double = 9_007_199_254_740_992

    /// GLPK's `M_MAX` / `N_MAX` (rows, columns) and graph `NV_MAX` (vertices).
    static let maxRowsOrColumns = 100_000_000

    /// GLPK's `NNZ_MAX` (constraint coefficients) and graph `NA_MAX` (arcs).
    static let maxNonzeros = 500_000_000

    /// GLPK's longest name, in bytes.
    static let maxNameBytes = 255
}
