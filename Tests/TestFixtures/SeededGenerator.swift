import Simulation

/// The tests' seeded generator is the simulator's documented one, so random test instances are
/// the same on every run and every platform.
public typealias SeededGenerator = SplitMix64
