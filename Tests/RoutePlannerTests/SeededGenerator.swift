@testable import RoutePlanner

/// The tests' seeded generator is the simulator's documented one, so random test instances are
/// the same on every run and every platform.
typealias SeededGenerator = SplitMix64
