import NetworkData
import Collections

/// The lightest path that arrives within a time budget: a label-setting search over
/// (weight, hours) labels, keeping at each node only labels no other label beats on both.
///
/// Weights must be non-negative and hours positive or zero; an arc of weight `.infinity` is
/// absent. `hoursToTarget` (the fewest hours from each node to the target) prunes labels that
/// cannot make the budget. The first target label taken from the queue is optimal, unless some
/// node overflowed ``maximumLabelsPerNode`` (see docs/constrained-shortest-path.md).
///
/// - Complexity: O(K · m · (K + log(K · m))) for K = `maximumLabelsPerNode` and m arcs.
package struct ConstrainedShortestPath {
    package let tails: [Int]
    package let heads: [Int]
    package let outgoing: [[Int]]
    package let hours: [Double]
    /// Labels kept per node at most. A label that no other dominates but that reaches a full node
    /// is dropped: the answer is then a path within the budget that may be dearer than the
    /// optimum (not reached on the built-in network, where a node holds at most a few dozen).
    package var maximumLabelsPerNode = 64

    package init(tails: [Int], heads: [Int], outgoing: [[Int]], hours: [Double]) {
        self.tails = tails
        self.heads = heads
        self.outgoing = outgoing
        self.hours = hours
    }

    private struct Label {
        var weight: Double
        var hours: Double
        var node: Int
        var arc: Int
        var parent: Int
    }

    private struct QueueEntry: Comparable {
        var weight: Double
        var label: Int
        static func < (a: QueueEntry, b: QueueEntry) -> Bool { (a.weight, a.label) < (b.weight, b.label) }
    }

    /// The lightest path from `source` to `target` taking at most `budgetHours`.
    package func path(weights: [Double], from source: Int, to target: Int, budgetHours: Double,
              hoursToTarget: [Double]) -> WeightedPath? {
        guard hoursToTarget[source] <= budgetHours + 1e-9 else { return nil }
        var labels = [Label(weight: 0, hours: 0, node: source, arc: -1, parent: -1)]
        // Arrays, not dictionaries: this is the pricing step's inner loop.
        var atNode = [[Int]](repeating: [], count: outgoing.count)
        atNode[source] = [0]
        var heap = Heap<QueueEntry>([QueueEntry(weight: 0, label: 0)])
        var dead = [false]
        while let entry = heap.popMin() {
            let current = labels[entry.label]
            if dead[entry.label] { continue }
            if current.node == target {
                var arcs: [Int] = []
                var index = entry.label
                while labels[index].arc >= 0 {
                    arcs.append(labels[index].arc)
                    index = labels[index].parent
                }
                return WeightedPath(arcs: arcs.reversed(), weight: current.weight)
            }
            for arc in outgoing[current.node] {
                let w = weights[arc]
                guard w.isFinite else { continue }
                let head = heads[arc]
                let time = current.hours + hours[arc]
                guard time + hoursToTarget[head] <= budgetHours + 1e-9 else { continue }
                let weight = current.weight + w
                if atNode[head].contains(where: { labels[$0].weight <= weight + 1e-12 && labels[$0].hours <= time + 1e-12 }) { continue }
                atNode[head].removeAll { index in
                    let dominated = weight <= labels[index].weight && time <= labels[index].hours
                    if dominated { dead[index] = true }
                    return dominated
                }
                guard atNode[head].count < maximumLabelsPerNode else { continue }
                labels.append(Label(weight: weight, hours: time, node: head, arc: arc, parent: entry.label))
                dead.append(false)
                atNode[head].append(labels.count - 1)
                heap.insert(QueueEntry(weight: weight, label: labels.count - 1))
            }
        }
        return nil
    }
}
