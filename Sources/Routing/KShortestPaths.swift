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
    package var nodeGroups: [Int]? { didSet { groupNodes = [] } }

    /// Runs the search as it was before issue 13 (``referenceYen(from:to:count:limit:accept:)``),
    /// for tests that compare the two.
    package var usesReferenceSearch = false

    private var distance: [Double]
    private var previousArc: [Int]
    private var touched: [Int] = []
    private var bannedNode: [Bool]
    private var bannedArc: [Bool]
    /// Arcs leaving node v: `outArcs[firstOut[v]..<firstOut[v + 1]]`, in `outgoing`'s order.
    private let firstOut: [Int]
    private let outArcs: [Int]
    /// Arcs entering each node likewise, built on the first bounded search.
    private var firstIn: [Int] = []
    private var inArcs: [Int] = []
    /// Fewest weight to `boundTarget` from each node, bans ignored.
    private var boundTarget = -1
    private var toTarget: [Double] = []
    /// The first arc of a lightest path from each node to `boundTarget`.
    private var nextArc: [Int] = []
    private var heap: [HeapEntry] = []
    /// The nodes of each place group, and a scratch mark per group, for Yen's spur bans.
    private var groupNodes: [[Int]] = []
    private var groupMarked: [Bool] = []

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
        var first = [0]
        first.reserveCapacity(nodeCount + 1)
        for node in 0..<nodeCount { first.append(first[node] + (node < outgoing.count ? outgoing[node].count : 0)) }
        firstOut = first
        outArcs = Array(outgoing.joined())
    }

    /// The lightest path from `source` to `target` avoiding banned nodes and arcs.
    /// - Complexity: O((n + m) log n).
    package mutating func shortestPath(from source: Int, to target: Int) -> WeightedPath? {
        if usesReferenceSearch { return referenceShortestPath(from: source, to: target) }
        return dijkstra(from: source, to: target, limit: .infinity, bounded: false)
    }

    /// The same path as ``shortestPath(from:to:)``, found with less work when it is searched many
    /// times to one target (Yen's spur searches). One reverse search, kept, gives each node's
    /// fewest weight to `target` with no bans (a lower bound under any bans). Dijkstra's search
    /// then runs as before but does not label a node whose distance plus that bound exceeds an
    /// upper bound on the answer (by 1e-9 relative): the weight of the reverse search's own path
    /// when it avoids the bans, else of the path an A* search on the bounds finds.
    ///
    /// Why the path is the same: a node left out lies on no path within the upper bound, so it
    /// never sets the distance of a node on a lightest path; the nodes kept are popped in the same
    /// (distance, node) order and relax their arcs in the same order, so ties are broken as before.
    /// - Complexity: O((n + m) log n), usually far less.
    package mutating func boundedShortestPath(from source: Int, to target: Int) -> WeightedPath? {
        if usesReferenceSearch { return referenceShortestPath(from: source, to: target) }
        computeBounds(to: target)
        guard toTarget[source].isFinite else { return nil }
        guard let upper = guidedPathWeight(from: source, to: target) else { return nil }
        return dijkstra(from: source, to: target, limit: upper, bounded: true)
    }

    /// Dijkstra's search popping (distance, node) in order, stopping at `target`; a node whose
    /// distance plus its bound to `target` exceeds `limit` is not labelled.
    private mutating func dijkstra(from source: Int, to target: Int, limit upper: Double, bounded: Bool) -> WeightedPath? {
        // Float sums of up to a few hundred non-negative terms err far below 1e-9 relative.
        let limit = upper + 1e-9 * (1 + upper)
        resetLabels()
        heap.removeAll(keepingCapacity: true)
        distance[source] = 0
        touched.append(source)
        push(HeapEntry(distance: 0, node: source))
        while let entry = popMin() {
            let node = entry.node
            guard entry.distance <= distance[node] else { continue }
            if node == target { break }
            for index in firstOut[node]..<firstOut[node + 1] {
                let arc = outArcs[index]
                if bannedArc[arc] { continue }
                let w = weights[arc]
                guard w.isFinite else { continue }
                let head = heads[arc]
                guard !bannedNode[head] else { continue }
                let candidate = entry.distance + w
                if bounded && candidate + toTarget[head] > limit { continue }
                if candidate < distance[head] {
                    if distance[head] == .infinity { touched.append(head) }
                    distance[head] = candidate
                    previousArc[head] = arc
                    push(HeapEntry(distance: candidate, node: head))
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

    /// The weight of some path from `source` to `target` avoiding banned nodes and arcs, near
    /// the lightest, or nil when there is none: the path the bounds were computed along when it
    /// avoids the bans (then it is a lightest one), else A* on the bounds.
    private mutating func guidedPathWeight(from source: Int, to target: Int) -> Double? {
        var upper = 0.0
        var node = source
        while node != target {
            let arc = nextArc[node]
            guard !bannedArc[arc], !bannedNode[heads[arc]] else { upper = .infinity; break }
            upper += weights[arc]
            node = heads[arc]
        }
        if upper.isFinite { return upper }
        // A detour at the first arc: any arc out of the source, then the bounds' path from its head.
        for index in firstOut[source]..<firstOut[source + 1] {
            let first = outArcs[index]
            guard !bannedArc[first], weights[first].isFinite, !bannedNode[heads[first]],
                  toTarget[heads[first]].isFinite else { continue }
            var weight = weights[first]
            var node = heads[first]
            while node != target {
                let arc = nextArc[node]
                guard !bannedArc[arc], !bannedNode[heads[arc]] else { weight = .infinity; break }
                weight += weights[arc]
                node = heads[arc]
            }
            upper = min(upper, weight)
        }
        resetLabels()
        heap.removeAll(keepingCapacity: true)
        distance[source] = 0
        touched.append(source)
        push(HeapEntry(distance: toTarget[source], node: source, reached: 0))
        while let entry = popMin() {
            let node = entry.node
            guard entry.reached <= distance[node] else { continue }
            if node == target { return entry.reached }
            for index in firstOut[node]..<firstOut[node + 1] {
                let arc = outArcs[index]
                if bannedArc[arc] { continue }
                let w = weights[arc]
                guard w.isFinite else { continue }
                let head = heads[arc]
                guard !bannedNode[head], toTarget[head].isFinite else { continue }
                let candidate = entry.reached + w
                // No use queueing a node that cannot beat the path to the target found so far.
                if candidate + toTarget[head] > upper + 1e-9 * (1 + upper) { continue }
                if candidate < distance[head] {
                    if distance[head] == .infinity { touched.append(head) }
                    distance[head] = candidate
                    if head == target { upper = candidate }
                    push(HeapEntry(distance: candidate + toTarget[head], node: head, reached: candidate))
                }
            }
        }
        // A detour's weight still bounds the answer when the search pruned its own way to it.
        return upper.isFinite ? upper : nil
    }

    /// Fewest weight from each node to `target` over arcs of finite weight, bans ignored (so a
    /// lower bound under any bans); kept for the next call with the same target.
    private mutating func computeBounds(to target: Int) {
        guard boundTarget != target else { return }
        if firstIn.isEmpty {
            var counts = [Int](repeating: 0, count: nodeCount + 1)
            for head in heads { counts[head + 1] += 1 }
            for node in 0..<nodeCount { counts[node + 1] += counts[node] }
            var next = counts
            var arcs = [Int](repeating: 0, count: heads.count)
            for arc in heads.indices {
                arcs[next[heads[arc]]] = arc
                next[heads[arc]] += 1
            }
            firstIn = counts
            inArcs = arcs
        }
        boundTarget = target
        toTarget = [Double](repeating: .infinity, count: nodeCount)
        nextArc = [Int](repeating: -1, count: nodeCount)
        heap.removeAll(keepingCapacity: true)
        toTarget[target] = 0
        push(HeapEntry(distance: 0, node: target))
        while let entry = popMin() {
            let node = entry.node
            guard entry.distance <= toTarget[node] else { continue }
            for index in firstIn[node]..<firstIn[node + 1] {
                let arc = inArcs[index]
                let w = weights[arc]
                guard w.isFinite else { continue }
                let tail = tails[arc]
                let candidate = entry.distance + w
                if candidate < toTarget[tail] {
                    toTarget[tail] = candidate
                    nextArc[tail] = arc
                    push(HeapEntry(distance: candidate, node: tail))
                }
            }
        }
    }

    private mutating func resetLabels() {
        for node in touched {
            distance[node] = .infinity
            previousArc[node] = -1
        }
        touched.removeAll(keepingCapacity: true)
    }

    /// Yen's algorithm: loopless paths in order of weight until `accept` has taken `count`
    /// of them or `limit` paths have been examined.
    ///
    /// - Returns: every path examined, lightest first, and whether the search ran out of paths.
    /// - Complexity: O(limit · L · (n + m) log n) for paths of at most L arcs.
    package mutating func yen(from source: Int, to target: Int, count: Int, limit: Int,
                      accept: (WeightedPath) -> Bool) -> (paths: [WeightedPath], exhausted: Bool) {
        if usesReferenceSearch { return referenceYen(from: source, to: target, count: count, limit: limit, accept: accept) }
        guard count > 0, let first = shortestPath(from: source, to: target) else { return ([], true) }
        var accepted: [WeightedPath] = [first]
        var taken = accept(first) ? 1 : 0
        var candidates = Heap<Candidate>()
        var seen: Set<[Int]> = [first.arcs]
        var sequence = 0
        var banned: [Int] = []
        var bannedGroupNodes: [Int] = []
        var rootGroups: [Int] = []
        if let groups = nodeGroups, groupNodes.isEmpty {
            groupNodes = Array(repeating: [], count: (groups.max() ?? -1) + 1)
            for node in 0..<nodeCount { groupNodes[groups[node]].append(node) }
            groupMarked = Array(repeating: false, count: groupNodes.count)
        }
        while taken < count && accepted.count < limit {
            let previous = accepted[accepted.count - 1]
            var rootWeight = 0.0
            var rootNodes = [source]
            for i in 0..<previous.arcs.count {
                let spurNode = rootNodes[i]
                let rootArcs = previous.arcs[0..<i]
                banned.removeAll(keepingCapacity: true)
                for path in accepted where path.arcs.count > i && path.arcs[0..<i] == rootArcs {
                    banned.append(path.arcs[i])
                }
                for arc in banned { bannedArc[arc] = true }
                for node in rootNodes.dropLast() { bannedNode[node] = true }
                bannedGroupNodes.removeAll(keepingCapacity: true)
                if let groups = nodeGroups {
                    // Every node of the places the root passed, but the spur node's place.
                    let spurGroup = groups[spurNode]
                    rootGroups.removeAll(keepingCapacity: true)
                    for node in rootNodes.dropLast() where groups[node] != spurGroup && !groupMarked[groups[node]] {
                        groupMarked[groups[node]] = true
                        rootGroups.append(groups[node])
                    }
                    for group in rootGroups {
                        groupMarked[group] = false
                        for node in groupNodes[group] where !bannedNode[node] {
                            bannedNode[node] = true
                            bannedGroupNodes.append(node)
                        }
                    }
                }
                if let spur = boundedShortestPath(from: spurNode, to: target) {
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

    private mutating func push(_ entry: HeapEntry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry < heap[parent] else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    private mutating func popMin() -> HeapEntry? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        var parent = 0
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && heap[child + 1] < heap[child] { child += 1 }
            guard heap[child] < last else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = last
        return top
    }

    /// The search as it was before issue 13 (kept to check that the faster one gives the same
    /// paths): swift-collections' heap, a full Dijkstra search per spur, a hashed set per spur.
    /// - Complexity: O((n + m) log n).
    mutating func referenceShortestPath(from source: Int, to target: Int) -> WeightedPath? {
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
    mutating func referenceYen(from source: Int, to target: Int, count: Int, limit: Int,
                      accept: (WeightedPath) -> Bool) -> (paths: [WeightedPath], exhausted: Bool) {
        guard count > 0, let first = referenceShortestPath(from: source, to: target) else { return ([], true) }
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
                if let spur = referenceShortestPath(from: spurNode, to: target) {
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
        /// The weight from the source, in the guided search (where `distance` adds the bound).
        var reached = 0.0
        static func < (a: HeapEntry, b: HeapEntry) -> Bool { (a.distance, a.node) < (b.distance, b.node) }
    }

    private struct Candidate: Comparable {
        var path: WeightedPath
        var sequence: Int
        static func < (a: Candidate, b: Candidate) -> Bool { (a.path.weight, a.sequence) < (b.path.weight, b.sequence) }
        static func == (a: Candidate, b: Candidate) -> Bool { a.sequence == b.sequence }
    }
}
