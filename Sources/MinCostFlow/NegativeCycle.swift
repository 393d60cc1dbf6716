extension FlowNetwork {
    /// A directed cycle of uncapacitated arcs with negative total cost, as arc indices in
    /// order, or `nil` if there is none.
    ///
    /// - Complexity: O(n · m) (Bellman–Ford from a virtual source).
    package func negativeUncapacitatedCycle() -> [Int]? {
        let candidates = arcs.indices.filter { arcs[$0].capacity == .infinity }
        if let loop = candidates.first(where: { arcs[$0].tail == arcs[$0].head && arcs[$0].unitCost < 0 }) {
            return [loop]
        }
        let scale = candidates.reduce(1.0) { max($0, abs(arcs[$1].unitCost)) }
        let tolerance = 1e-12 * scale
        var distance = [Double](repeating: 0, count: nodeCount)
        var predecessor = [Int](repeating: -1, count: nodeCount)
        var changed = false
        for _ in 0..<nodeCount {
            changed = false
            for k in candidates {
                let arc = arcs[k]
                let candidate = distance[arc.tail] + arc.unitCost
                if candidate < distance[arc.head] - tolerance {
                    distance[arc.head] = candidate
                    predecessor[arc.head] = k
                    changed = true
                }
            }
            if !changed { return nil }
        }
        // Still improving after n passes: the predecessor graph has a cycle, of negative cost.
        var state = [UInt8](repeating: 0, count: nodeCount)  // 0 new, 1 on current walk, 2 done
        for start in 0..<nodeCount where state[start] == 0 {
            var walk: [Int] = []
            var node = start
            while node >= 0 && state[node] == 0 {
                state[node] = 1
                walk.append(node)
                node = predecessor[node] >= 0 ? arcs[predecessor[node]].tail : -1
            }
            if node >= 0 && state[node] == 1 {
                var cycle: [Int] = []
                var current = node
                repeat {
                    let k = predecessor[current]
                    cycle.append(k)
                    current = arcs[k].tail
                } while current != node
                let total = cycle.reduce(0.0) { $0 + arcs[$1].unitCost }
                if total < 0 { return cycle.reversed() }
            }
            for visited in walk { state[visited] = 2 }
        }
        return nil
    }

    /// "arcs 5, 6 form the cycle 1 → 2 → 1 of uncapacitated arcs with total unit cost …".
    package func describe(cycle: [Int]) -> String {
        let nodes = cycle.map { String(arcs[$0].tail) } + [String(arcs[cycle[0]].tail)]
        let total = cycle.reduce(0.0) { $0 + arcs[$1].unitCost }
        return "arcs \(cycle.map(String.init).joined(separator: ", ")) form the cycle \(nodes.joined(separator: " → ")) of uncapacitated arcs with total unit cost \(total); flow around it lowers the cost without limit"
    }
}
