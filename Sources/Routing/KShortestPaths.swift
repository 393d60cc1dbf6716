import NetworkData
import Collections

/// A path as arcs from the source, with its total weight.
package struct WeightedPath: Hashable {
    package var arcs: [Int]
    package var weight: Double

    package init(arcs: [Int], weight: Double) {
        self.arcs = arcs
        self.weight = weight
    }
}

/// Dijkstra's shortest paths and Yen's k shortest loopless paths on a static arc list.
///
/// Weights must be non-negative; an arc of weight `.infinity` is absent.
package struct KShortestPaths {
    package let nodeCount: Int
    package let tails: [Int]
    package let heads: [Int]
    package let outgoing: [[Int]]
    package let weights: [Double]
    /// The place of each node, when routes must pass each place once: a spur search then avoids
    /// every node of the places its root path already passed, not only the root's nodes.
    package var nodeGroups: [Int]?

    private var distance: [Double]
    private var previousArc: [Int]
    private var touched: [Int] = []
    private var bannedNode: [Bool]
    private var bannedArc: [Bool]

    package init(nodeCount: Int, tails: [Int], heads: [Int], outgoing: [[Int]], weights: [Double]) {
        self.nodeCount = nodeCount
        self.tails = tails
        self.heads = heads
        self.outgoing = outgoing
        self.weights = weights
        distance = Array(repeating: .infinity, count: nodeCount)
        previousArc = Array(repeating: -1, count: nodeCount)
        bannedNode = Array(repeating: false, count: nodeCount)
        bannedArc = Array(repeating: false, count: tails.count)
    }

    /// The lightest path from `source` to `target` avoiding banned nodes and arcs.
    /// - Complexity: O((n + m) log n).
    package mutating func shortestPath(from source: Int, to target: Int) -> WeightedPath? {
        for node in touched {
            distance[node] = .infinity
            previousArc[node] = -1
        }
        touched.removeAll(keepingCapacity: true)
        var heap = Heap<HeapEntry>()
        distance[source] = 0
        touched.append(source)
        heap.insert(HeapEntry(distance: 0, node: source))
        while let entry = heap.popMin() {
            let node = entry.node
            guard entry.distance <= distance[node] else { continue }
            if node == target { break }
            for arc in outgoing[node] where !bannedArc[arc] {
                let w = weights[arc]
                guard w.isFinite else { continue }
                let head = heads[arc]
                guard !bannedNode[head] else { continue }
                let candidate = entry.distance + w
                if candidate < distance[head] {
                    if distance[head] == .infinity { touched.append(head) }
                    distance[head] = candidate
                    previousArc[head] = arc
                    heap.insert(HeapEntry(distance: candidate, node: head))
                }
            }
        }
        guard distance[target].isFinite else { return nil }
        var arcs: [Int] = []
        var node = target
        while node != source {
            let arc = previousArc[node]
            arcs.append(arc)
            node = tails[arc]
        }
        return WeightedPath(arcs: arcs.reversed(), weight: distance[target])
    }

    /// Yen's algorithm: loopless paths in order of weight until `accept` has taken `count`
    /// of them or `limit` paths have been examined.
    ///
    /// - Returns: every path examined, lightest first, and whether the search ran out of paths.
    /// - Complexity: O(limit · L · (n + m) log n) for paths of at most L arcs.
    package mutating func yen(from source: Int, to target: Int, count: Int, limit: Int,
                      accept: (WeightedPath) -> Bool) -> (paths: [WeightedPath], exhausted: Bool) {
        guard count > 0, let first = shortestPath(from: source, to: target) else { return ([], true) }
        var accepted: [WeightedPath] = [first]
        var taken = accept(first) ? 1 : 0
        var candidates = Heap<Candidate>()
        var seen: Set<[Int]> = [first.arcs]
        var sequence = 0
        while taken < count && accepted.count < limit {
            let previous = accepted[accepted.count - 1]
            var rootWeight = 0.0
            var rootNodes = [source]
            for i in 0..<previous.arcs.count {
                let spurNode = rootNodes[i]
                let rootArcs = previous.arcs[0..<i]
                var banned: [Int] = []
                for path in accepted where path.arcs.count > i && path.arcs[0..<i] == rootArcs {
                    banned.append(path.arcs[i])
                }
                for arc in banned { bannedArc[arc] = true }
                for node in rootNodes.dropLast() { bannedNode[node] = true }
                var bannedGroupNodes: [Int] = []
                if let groups = nodeGroups {
                    let spurGroup = groups[spurNode]
                    let rootGroups = Set(rootNodes.dropLast().map { groups[$0] }).subtracting([spurGroup])
                    if !rootGroups.isEmpty {
                        for node in 0..<nodeCount where rootGroups.contains(groups[node]) && !bannedNode[node] {
                            bannedNode[node] = true
                            bannedGroupNodes.append(node)
                        }
                    }
                }
                if let spur = shortestPath(from: spurNode, to: target) {
                    let arcs = Array(rootArcs) + spur.arcs
                    if seen.insert(arcs).inserted {
                        sequence += 1
                        candidates.insert(Candidate(path: WeightedPath(arcs: arcs, weight: rootWeight + spur.weight),
                                                    sequence: sequence))
                    }
                }
                for arc in banned { bannedArc[arc] = false }
                for node in rootNodes.dropLast() { bannedNode[node] = false }
                for node in bannedGroupNodes { bannedNode[node] = false }
                rootWeight += weights[previous.arcs[i]]
                rootNodes.append(heads[previous.arcs[i]])
            }
            guard let next = candidates.popMin() else { return (accepted, true) }
            accepted.append(next.path)
            if accept(next.path) { taken += 1 }
        }
        return (accepted, false)
    }

    private struct HeapEntry: Comparable {
        var distance: Double
        var node: Int
        static func < (a: HeapEntry, b: HeapEntry) -> Bool { (a.distance, a.node) < (b.distance, b.node) }
    }

    private struct Candidate: Comparable {
        var path: WeightedPath
        var sequence: Int
        static func < (a: Candidate, b: Candidate) -> Bool { (a.path.weight, a.sequence) < (b.path.weight, b.sequence) }
        static func == (a: Candidate, b: Candidate) -> Bool { a.sequence == b.sequence }
    }
}
