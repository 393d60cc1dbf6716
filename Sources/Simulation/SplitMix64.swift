import Routing
import NetworkData
/// SplitMix64 (Steele, Lea & Flood 2014): the simulator's seeded random generator. Fast,
/// 64-bit state, the same sequence on every platform for a seed, so a seed fixes a run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1) with 53 random bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// An exponential variate with the given mean.
    public mutating func exponential(mean: Double) -> Double { -mean * log1pNegative(unit()) }

    /// A log-normal variate with the given mean and 90th percentile (p90 ≥ mean); the mean
    /// itself when they are equal.
    public mutating func logNormal(mean: Double, p90: Double) -> Double {
        guard mean > 0, p90 > mean * (1 + 1e-9) else { return mean }
        let (mu, sigma) = Self.logNormalParameters(mean: mean, p90: p90)
        // Box–Muller.
        let u1 = max(unit(), 1e-300), u2 = unit()
        let z = (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
        return Foundation.exp(mu + sigma * z)
    }

    /// μ and σ of the log-normal with this mean and p90: ln p90 − ln mean = 1.2816 σ − σ²/2.
    static func logNormalParameters(mean: Double, p90: Double) -> (mu: Double, sigma: Double) {
        let z90 = 1.2815515655446004
        let gap = Foundation.log(p90 / mean)
        let discriminant = z90 * z90 - 2 * gap
        let sigma = discriminant > 0 ? z90 - discriminant.squareRoot() : z90
        return (Foundation.log(mean) - sigma * sigma / 2, sigma)
    }

    private func log1pNegative(_ u: Double) -> Double { Foundation.log(1 - u) }
}

import Foundation
