/// A minimum-cost flow instance in memory: nodes 0..<nodeCount with supplies (positive sends),
/// arcs with lower bound, capacity and unit cost, all integers, ready to be written as DIMACS.
struct FlowInstance {
    /// What generated the instance, written as `c` lines at the top of the file.
    var comments: [String] = []
    /// Supply of each node; positive sends, negative receives. Sums to zero.
    var supply: [Int]
    var tail: [Int32] = []
    var head: [Int32] = []
    var lower: [Int] = []
    var capacity: [Int] = []
    var cost: [Int] = []

    init(nodeCount: Int, reservingArcs arcCount: Int = 0) {
        supply = Array(repeating: 0, count: nodeCount)
        tail.reserveCapacity(arcCount)
        head.reserveCapacity(arcCount)
        lower.reserveCapacity(arcCount)
        capacity.reserveCapacity(arcCount)
        cost.reserveCapacity(arcCount)
    }

    var nodeCount: Int { supply.count }
    var arcCount: Int { tail.count }

    /// Total supply of the nodes that send.
    var totalSupply: Int { supply.reduce(0) { $0 + max($1, 0) } }

    mutating func addArc(_ from: Int, _ to: Int, lower low: Int = 0, capacity cap: Int, cost unitCost: Int) {
        assert(from != to && (0..<nodeCount).contains(from) && (0..<nodeCount).contains(to))
        assert(0 <= low && low <= cap && unitCost >= 0)
        tail.append(Int32(from))
        head.append(Int32(to))
        lower.append(low)
        capacity.append(cap)
        cost.append(unitCost)
    }

    /// Checks what every generator promises: supplies balance, bounds are ordered.
    func checkInvariants() {
        precondition(supply.reduce(0, +) == 0, "supplies do not balance")
        for arc in 0..<arcCount {
            precondition(lower[arc] >= 0 && lower[arc] <= capacity[arc], "arc \(arc + 1): lower bound above capacity")
            precondition(tail[arc] != head[arc], "arc \(arc + 1) is a loop")
        }
    }
}
