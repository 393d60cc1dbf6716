/// A ``FlowNetwork`` with decimal data scaled to integers for ``NetworkSimplex``: flows
/// (supplies, lower bounds, capacities) by `flowScale`, unit costs by `costScale`.
///
/// The scaled problem has the same optimal flows (times `flowScale`) and potentials (times
/// `costScale`): scaling the right-hand side and bounds scales every basic solution, and
/// scaling the costs scales every dual.
package struct DecimallyScaledNetwork {
    /// The network with every number an integer.
    package var network: FlowNetwork
    /// 10^f: flows in `network` are the original flows times this.
    package var flowScale: Double
    /// 10^c: costs and potentials in `network` are the original ones times this.
    package var costScale: Double

    /// The solution of the scaled network in the original units (cost recomputed on `original`).
    ///
    /// - Complexity: O(n + m).
    package func unscale(_ solution: FlowSolution, original: FlowNetwork) -> FlowSolution {
        let flow = solution.flow.map { $0 / flowScale }
        var cost = 0.0
        for (k, arc) in original.arcs.enumerated() { cost += arc.unitCost * flow[k] }
        return FlowSolution(flow: flow, potential: solution.potential.map { $0 / costScale }, cost: cost)
    }
}

extension FlowNetwork {
    /// The network scaled to integers by the smallest powers of ten (at most
    /// 10^`maxDecimalDigits`) that make every supply, bound and capacity (one power) and every
    /// unit cost (another) an integer, or `nil` when the data are not decimals of that many
    /// digits.
    ///
    /// A number counts as a decimal of d digits when `value · 10^d` is within 10^−9 (relative)
    /// of an integer, so binary rounding such as `1926.3999999999999` (for 1926.4) is absorbed:
    /// the scaled problem is the decimal problem the numbers stand for.
    ///
    /// - Complexity: O((n + m) · maxDecimalDigits).
    package func decimallyScaled(maxDecimalDigits: Int = 6) -> DecimallyScaledNetwork? {
        func digits(_ values: [Double]) -> Int? {
            var needed = 0
            var scale = 1.0
            for value in values where value.isFinite {
                while true {
                    let scaled = value * scale
                    if abs(scaled - scaled.rounded()) <= 1e-9 * max(1, abs(scaled)) { break }
                    guard needed < maxDecimalDigits else { return nil }
                    needed += 1
                    scale *= 10
                }
            }
            return needed
        }
        let flowValues = supply + arcs.map(\.lower) + arcs.map(\.capacity)
        guard let flowDigits = digits(flowValues), let costDigits = digits(arcs.map(\.unitCost)) else { return nil }
        let flowScale = pow10(flowDigits)
        let costScale = pow10(costDigits)
        var scaled = self
        scaled.supply = supply.map { ($0 * flowScale).rounded() }
        for k in scaled.arcs.indices {
            scaled.arcs[k].lower = (arcs[k].lower * flowScale).rounded()
            if arcs[k].capacity.isFinite { scaled.arcs[k].capacity = (arcs[k].capacity * flowScale).rounded() }
            scaled.arcs[k].unitCost = (arcs[k].unitCost * costScale).rounded()
        }
        return DecimallyScaledNetwork(network: scaled, flowScale: flowScale, costScale: costScale)
    }
}

private func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
}
