/// The working state of the primal network simplex: a strongly feasible spanning tree basis
/// on integral data, kept in flat buffers the hot loops read through raw pointers.
///
/// Nodes are `0..<nodeCount` plus an artificial root `nodeCount`; arcs are `0..<arcCount`
/// (the instance's arcs, the only ones pricing looks at) plus one artificial arc per node,
/// `arcCount + u`, joining `u` and the root. An artificial arc that leaves the tree never
/// comes back, so at the end an artificial arc with flow means the supplies cannot be met.
///
/// The tree is stored as in Grigoriadis's and Kelly–O'Neill's implementations:
/// `parent`, `pred` (the tree arc to the parent) and `predUp` (whether that arc points to the
/// parent), the preorder `thread` with its inverse `revThread`, and for each node the size
/// `subtreeSize` and the preorder-last node `lastInSubtree` of its subtree. Potentials use
/// the convention `reduced cost = cost + pi[tail] − pi[head]` (0 on tree arcs); the public
/// potentials are `−(pi − pi[root])`. Potentials are shifted on the smaller side of a pivot,
/// so `pi[root]` drifts; all potential arithmetic wraps (`&+`, `&-`), which keeps every
/// difference exact because true reduced costs stay far inside `Int64`.
///
/// Not `Sendable` and not copyable: it owns its buffers and frees them in `deinit`.
struct SpanningTreeBasis: ~Copyable {
    /// State of a non-tree arc at its lower bound (flow 0 after shifting): pricing multiplies
    /// the reduced cost by the state, so tree arcs (0) are never candidates.
    static let atLower: Int8 = 1
    static let inTree: Int8 = 0
    static let atUpper: Int8 = -1
    /// The capacity of an uncapacitated (and of every artificial) arc.
    static let unlimited = Int64.max

    let nodeCount: Int
    let arcCount: Int
    let root: Int

    // Arcs: 0..<arcCount original (in solver order), then one artificial arc per node.
    let tail: UnsafeMutablePointer<Int32>
    let head: UnsafeMutablePointer<Int32>
    let cost: UnsafeMutablePointer<Int64>
    let capacity: UnsafeMutablePointer<Int64>
    let flow: UnsafeMutablePointer<Int64>
    let state: UnsafeMutablePointer<Int8>

    // Nodes: 0...nodeCount (the root last).
    let pi: UnsafeMutablePointer<Int64>
    let parent: UnsafeMutablePointer<Int32>
    let pred: UnsafeMutablePointer<Int32>
    let predUp: UnsafeMutablePointer<Bool>
    let thread: UnsafeMutablePointer<Int32>
    let revThread: UnsafeMutablePointer<Int32>
    let subtreeSize: UnsafeMutablePointer<Int32>
    let lastInSubtree: UnsafeMutablePointer<Int32>

    // Scratch for the stem (the tree path reversed in a pivot), one slot per node.
    private let stem: UnsafeMutablePointer<Int32>
    private let stemLast: UnsafeMutablePointer<Int32>
    private let stemSize: UnsafeMutablePointer<Int32>
    private let stemPrev: UnsafeMutablePointer<Int32>
    private let stemNext: UnsafeMutablePointer<Int32>

    // Pricing.
    private let blockSize: Int
    private var nextArc = 0

    // The current pivot.
    private var enteringArc = 0
    private var apex = 0
    private var delta: Int64 = 0
    private var leavingNode = -1  // the node whose tree arc leaves; -1: the entering arc itself
    private var innerNode = 0  // entering-arc end inside the subtree that moves
    private var outerNode = 0  // the other end

    /// Pivots done so far (degenerate ones included).
    private(set) var pivots = 0

    /// Builds the starting basis: every node hangs from the root by its artificial arc,
    /// pointing up for a node with supply ≥ 0 (cost 0), down for a node with demand (cost
    /// `artificialCost`). The tree is strongly feasible: each node can send flow to the root.
    ///
    /// - Parameters:
    ///   - tails, heads, costs, capacities: the instance's arcs in solver order (0-based nodes;
    ///     ``unlimited`` capacity for an uncapacitated arc; no self-loops).
    ///   - supplies: net supply per node, summing to 0.
    ///   - artificialCost: above `nodeCount · max |cost|`, so artificial flow is never cheaper
    ///     than a real path.
    /// - Complexity: O(n + m).
    init(tails: [Int32], heads: [Int32], costs: [Int64], capacities: [Int64], supplies: [Int64],
         artificialCost: Int64, zeroCosts: Bool = false) {
        let n = supplies.count
        let m = tails.count
        nodeCount = n
        arcCount = m
        root = n
        let all = m + n
        tail = .allocate(capacity: all)
        head = .allocate(capacity: all)
        cost = .allocate(capacity: all)
        capacity = .allocate(capacity: all)
        flow = .allocate(capacity: all)
        state = .allocate(capacity: all)
        pi = .allocate(capacity: n + 1)
        parent = .allocate(capacity: n + 1)
        pred = .allocate(capacity: n + 1)
        predUp = .allocate(capacity: n + 1)
        thread = .allocate(capacity: n + 1)
        revThread = .allocate(capacity: n + 1)
        subtreeSize = .allocate(capacity: n + 1)
        lastInSubtree = .allocate(capacity: n + 1)
        stem = .allocate(capacity: n + 1)
        stemLast = .allocate(capacity: n + 1)
        stemSize = .allocate(capacity: n + 1)
        stemPrev = .allocate(capacity: n + 1)
        stemNext = .allocate(capacity: n + 1)
        blockSize = max(10, Int(Double(m).squareRoot().rounded(.up)))

        if m > 0 {  // an empty array may have no base address
            tails.withUnsafeBufferPointer { tail.initialize(from: $0.baseAddress!, count: m) }
            heads.withUnsafeBufferPointer { head.initialize(from: $0.baseAddress!, count: m) }
            if zeroCosts {
                cost.initialize(repeating: 0, count: m)
            } else {
                costs.withUnsafeBufferPointer { cost.initialize(from: $0.baseAddress!, count: m) }
            }
            capacities.withUnsafeBufferPointer { capacity.initialize(from: $0.baseAddress!, count: m) }
        }
        flow.initialize(repeating: 0, count: all)
        state.initialize(repeating: Self.atLower, count: m)

        let root32 = Int32(n)
        for u in 0..<n {
            let e = m + u
            parent[u] = root32
            pred[u] = Int32(e)
            thread[u] = Int32(u + 1)
            revThread[u + 1] = Int32(u)
            subtreeSize[u] = 1
            lastInSubtree[u] = Int32(u)
            state[e] = Self.inTree
            capacity[e] = Self.unlimited
            if supplies[u] >= 0 {
                tail[e] = Int32(u)
                head[e] = root32
                predUp[u] = true
                flow[e] = supplies[u]
                cost[e] = 0
                pi[u] = 0
            } else {
                tail[e] = root32
                head[e] = Int32(u)
                predUp[u] = false
                flow[e] = -supplies[u]
                cost[e] = artificialCost
                pi[u] = artificialCost
            }
        }
        parent[n] = -1
        pred[n] = -1
        predUp[n] = true
        pi[n] = 0
        thread[n] = 0
        revThread[0] = root32
        subtreeSize[n] = Int32(n + 1)
        lastInSubtree[n] = Int32(n - 1)
    }

    deinit {
        for buffer in [tail, head, thread, revThread, parent, pred, subtreeSize, lastInSubtree,
                       stem, stemLast, stemSize, stemPrev, stemNext] as [UnsafeMutablePointer<Int32>] {
            buffer.deallocate()
        }
        cost.deallocate()
        capacity.deallocate()
        flow.deallocate()
        pi.deallocate()
        state.deallocate()
        predUp.deallocate()
    }

    /// How a run of the simplex ended.
    enum Termination {
        /// Every arc prices out: the basis is optimal for the big-M problem.
        case optimal
        /// The entering arc's cycle has no blocking arc: it is a negative-cost cycle of
        /// uncapacitated arcs, given as solver arcs in the direction of flow.
        case unbounded(cycle: [Int])
    }

    /// Runs primal simplex pivots until no arc prices out or a cycle is unbounded.
    ///
    /// - Parameter warmStart: candidate arcs to try first (e.g. the cheapest arc into each
    ///   demand node); each enters only if it prices out at its turn.
    /// - Complexity: no polynomial bound (the network simplex is exponential in the worst
    ///   case); each pivot costs O(√m) arcs priced per block plus the cycle length, and the
    ///   size of the smaller side of the tree for the potentials.
    mutating func run(warmStart: [Int] = []) -> Termination {
        for arc in warmStart {
            let reduced = Int64(state[arc]) &* (cost[arc] &+ pi[Int(tail[arc])] &- pi[Int(head[arc])])
            guard reduced < 0 else { continue }
            enteringArc = arc
            if let cycle = pivot() { return .unbounded(cycle: cycle) }
        }
        while findEnteringArc() {
            if let cycle = pivot() { return .unbounded(cycle: cycle) }
        }
        return .optimal
    }

    /// One pivot on `enteringArc`; returns the cycle if it is unbounded.
    private mutating func pivot() -> [Int]? {
        findApex()
        findLeavingArc()
        if delta == Self.unlimited { return unboundedCycle() }
        pivots += 1
        let reduced = cost[enteringArc] &+ pi[Int(tail[enteringArc])] &- pi[Int(head[enteringArc])]
        augment()
        if leavingNode >= 0 {
            updateTree()
            // Make the entering arc's reduced cost 0. Only differences of potentials matter, so
            // shift whichever side is smaller: the moved subtree by +shift, or every other node
            // (a contiguous run of the thread) by −shift.
            let shift = Int(tail[enteringArc]) == innerNode ? 0 &- reduced : reduced
            if shift != 0 {
                let moved = Int(subtreeSize[innerNode])
                if 2 * moved <= nodeCount + 1 {
                    var u = innerNode
                    for _ in 0..<moved {
                        pi[u] = pi[u] &+ shift
                        u = Int(thread[u])
                    }
                } else {
                    var u = Int(thread[Int(lastInSubtree[innerNode])])
                    for _ in 0..<(nodeCount + 1 - moved) {
                        pi[u] = pi[u] &- shift
                        u = Int(thread[u])
                    }
                }
            }
        }
        return nil
    }

    /// Block search (Grigoriadis): scan arcs cyclically from where the last search stopped,
    /// in blocks of about √m; after each block, take the most violating arc seen if any.
    /// Returns `false` when no arc has a negative signed reduced cost (optimal).
    private mutating func findEnteringArc() -> Bool {
        let m = arcCount
        guard m > 0 else { return false }
        let tail = self.tail, head = self.head, cost = self.cost, state = self.state, pi = self.pi
        var best: Int64 = 0
        var bestArc = -1
        var remaining = blockSize
        var e = nextArc
        // Two linear passes: [nextArc, m) then [0, nextArc).
        var end = m
        var wrapped = false
        while true {
            while e < end {
                let value = Int64(state[e]) &* (cost[e] &+ pi[Int(tail[e])] &- pi[Int(head[e])])
                if value < best {
                    best = value
                    bestArc = e
                }
                e &+= 1
                remaining &-= 1
                if remaining == 0 {
                    if bestArc >= 0 {
                        nextArc = e == m ? 0 : e
                        enteringArc = bestArc
                        return true
                    }
                    remaining = blockSize
                }
            }
            if wrapped { break }
            wrapped = true
            end = nextArc
            e = 0
        }
        guard bestArc >= 0 else { return false }
        nextArc = e == m ? 0 : e
        enteringArc = bestArc
        return true
    }

    /// The apex: the first common node of the tree paths from the entering arc's ends to the root.
    private mutating func findApex() {
        var u = Int(tail[enteringArc])
        var v = Int(head[enteringArc])
        while u != v {
            // A node with the smaller subtree is not an ancestor of the other: move it up.
            if subtreeSize[u] < subtreeSize[v] { u = Int(parent[u]) } else { v = Int(parent[v]) }
        }
        apex = u
    }

    /// The leaving arc by Cunningham's rule: the last blocking arc met when going round the
    /// cycle in the direction of flow from the apex, which keeps the tree strongly feasible.
    /// Sets `delta` (``unlimited`` if nothing blocks), `leavingNode`, `innerNode`, `outerNode`.
    private mutating func findLeavingArc() {
        let e0 = enteringArc
        // Flow goes round: apex → down to `first` → across the entering arc → `second` → up to apex.
        let first: Int, second: Int
        if state[e0] == Self.atLower {
            first = Int(tail[e0])
            second = Int(head[e0])
        } else {
            first = Int(head[e0])
            second = Int(tail[e0])
        }
        var best = capacity[e0]  // at lower: room up to capacity; at upper: flow = capacity
        var leaving = -1
        var onFirstSide = false
        // Downward side, met before the entering arc: only a strictly smaller room wins.
        var u = first
        while u != apex {
            let e = Int(pred[u])
            let room: Int64
            if predUp[u] {
                room = flow[e]  // traversed against the arc
            } else {
                let c = capacity[e]
                room = c == Self.unlimited ? Self.unlimited : c &- flow[e]
            }
            if room < best {
                best = room
                leaving = u
                onFirstSide = true
            }
            u = Int(parent[u])
        }
        // Upward side, met after the entering arc: ties go to the later arc.
        u = second
        while u != apex {
            let e = Int(pred[u])
            let room: Int64
            if predUp[u] {
                let c = capacity[e]
                room = c == Self.unlimited ? Self.unlimited : c &- flow[e]
            } else {
                room = flow[e]
            }
            if room <= best {
                best = room
                leaving = u
                onFirstSide = false
            }
            u = Int(parent[u])
        }
        delta = best
        leavingNode = leaving
        if onFirstSide {
            innerNode = first
            outerNode = second
        } else {
            innerNode = second
            outerNode = first
        }
    }

    /// Sends `delta` round the cycle and updates the states of the entering and leaving arcs.
    private mutating func augment() {
        let e0 = enteringArc
        if delta > 0 {
            let amount = Int64(state[e0]) &* delta  // + along the arc at lower, − at upper
            flow[e0] = flow[e0] &+ amount
            var u = Int(tail[e0])
            while u != apex {
                let e = Int(pred[u])
                flow[e] = predUp[u] ? flow[e] &- amount : flow[e] &+ amount
                u = Int(parent[u])
            }
            u = Int(head[e0])
            while u != apex {
                let e = Int(pred[u])
                flow[e] = predUp[u] ? flow[e] &+ amount : flow[e] &- amount
                u = Int(parent[u])
            }
        }
        if leavingNode >= 0 {
            state[e0] = Self.inTree
            let leaving = Int(pred[leavingNode])
            state[leaving] = flow[leaving] == 0 ? Self.atLower : Self.atUpper
        } else {
            state[e0] = 0 &- state[e0]  // the entering arc went from one bound to the other
        }
    }

    /// Replaces the leaving arc by the entering one. The subtree S under the leaving arc is cut
    /// off and hung from `outerNode` by the entering arc, re-rooted at `innerNode`: the stem
    /// `innerNode = s0, s1 = parent(s0), …, sk = leavingNode` reverses. In preorder, S becomes
    /// T(s0), then for each i ≥ 1 the old segment of s_i with the block of s_{i−1} cut out
    /// (a piece before the block and a piece after it), and the new S goes right after
    /// `outerNode`.
    ///
    /// - Complexity: O(|stem| + the tree paths from both ends up to the apex).
    private mutating func updateTree() {
        let uIn = innerNode
        let vIn = outerNode
        let uOut = leavingNode
        let vOut = Int(parent[uOut])
        let movedSize = subtreeSize[uOut]

        // Collect the stem with the old values the new preorder is made of.
        var k = 0
        var s = uIn
        while true {
            stem[k] = Int32(s)
            stemLast[k] = lastInSubtree[s]
            stemSize[k] = subtreeSize[s]
            stemPrev[k] = revThread[s]
            stemNext[k] = thread[Int(lastInSubtree[s])]
            if s == uOut { break }
            s = Int(parent[s])
            k += 1
        }
        let before = Int(stemPrev[k])  // preorder predecessor of S
        let after = Int(stemNext[k])  // preorder successor of S

        // The new preorder of S.
        var end = Int(stemLast[0])  // T(s0) keeps its order
        if k > 0 {
            for i in 1...k {
                let si = Int(stem[i])
                thread[end] = Int32(si)
                revThread[si] = Int32(end)
                let pieceEnd = Int(stemPrev[i - 1])  // the piece of s_i before the block of s_{i−1}
                if stemLast[i - 1] != stemLast[i] {
                    let rest = Int(stemNext[i - 1])  // the piece after the block
                    thread[pieceEnd] = Int32(rest)
                    revThread[rest] = Int32(pieceEnd)
                    end = Int(stemLast[i])
                } else {
                    end = pieceEnd
                }
            }
        }
        // Cut S out of the thread and splice it in after vIn.
        thread[before] = Int32(after)
        revThread[after] = Int32(before)
        let next = Int(thread[vIn])
        thread[vIn] = Int32(uIn)
        revThread[uIn] = Int32(vIn)
        thread[end] = Int32(next)
        revThread[next] = Int32(end)

        // Reverse the stem: s_i's new parent is s_{i−1}, by s_{i−1}'s old tree arc.
        var i = k
        while i > 0 {
            let si = Int(stem[i])
            let below = Int(stem[i - 1])
            parent[si] = Int32(below)
            pred[si] = pred[below]
            predUp[si] = !predUp[below]
            subtreeSize[si] = movedSize &- stemSize[i - 1]
            lastInSubtree[si] = Int32(end)
            i -= 1
        }
        parent[uIn] = Int32(vIn)
        pred[uIn] = Int32(enteringArc)
        predUp[uIn] = Int(tail[enteringArc]) == uIn
        subtreeSize[uIn] = movedSize
        lastInSubtree[uIn] = Int32(end)

        // Ancestors outside S: sizes along both paths up to the apex.
        var u = vOut
        while u != apex {
            subtreeSize[u] = subtreeSize[u] &- movedSize
            u = Int(parent[u])
        }
        u = vIn
        while u != apex {
            subtreeSize[u] = subtreeSize[u] &+ movedSize
            u = Int(parent[u])
        }
        // Last nodes: first for cutting S out (subtrees that ended with S now end before it),
        // then for splicing it in (subtrees that ended at vIn now end with S).
        let oldLast = stemLast[k]
        u = vOut
        while u >= 0 && lastInSubtree[u] == oldLast {
            lastInSubtree[u] = Int32(before)
            u = Int(parent[u])
        }
        u = vIn
        while u >= 0 && lastInSubtree[u] == Int32(vIn) {
            lastInSubtree[u] = Int32(end)
            u = Int(parent[u])
        }
    }

    /// The unbounded cycle as solver arcs in the direction of flow, starting with the entering arc.
    private func unboundedCycle() -> [Int] {
        let e0 = enteringArc
        var cycle = [e0]
        let from = state[e0] == Self.atLower ? Int(tail[e0]) : Int(head[e0])
        let to = state[e0] == Self.atLower ? Int(head[e0]) : Int(tail[e0])
        var u = to
        while u != apex {
            cycle.append(Int(pred[u]))
            u = Int(parent[u])
        }
        var down: [Int] = []
        u = from
        while u != apex {
            down.append(Int(pred[u]))
            u = Int(parent[u])
        }
        cycle.append(contentsOf: down.reversed())
        return cycle
    }

    #if DEBUG
    /// One pivot, for tests that check the invariants after each; `.optimal` when none is left.
    mutating func runOnePivot() -> Termination {
        guard findEnteringArc() else { return .optimal }
        if let cycle = pivot() { return .unbounded(cycle: cycle) }
        return .optimal
    }

    /// Checks the tree invariants (debug builds, tests): parent/pred agree with arc ends, the
    /// thread is a preorder with consistent inverse, sizes and last nodes match, tree arcs have
    /// reduced cost 0, flows lie within bounds and conserve supply.
    func invariantViolations(supplies: [Int64]) -> [String] {
        var issues: [String] = []
        let n = nodeCount
        // Thread visits every node once, starting at the root.
        var order: [Int] = []
        var seen = [Bool](repeating: false, count: n + 1)
        var u = root
        repeat {
            if seen[u] { issues.append("thread revisits \(u)"); return issues }
            seen[u] = true
            order.append(u)
            if Int(revThread[Int(thread[u])]) != u { issues.append("revThread[thread[\(u)]] ≠ \(u)") }
            u = Int(thread[u])
        } while u != root && order.count <= n + 1
        if order.count != n + 1 { issues.append("thread has \(order.count) nodes, expected \(n + 1)") }
        var position = [Int](repeating: 0, count: n + 1)
        for (p, node) in order.enumerated() { position[node] = p }
        var size = [Int](repeating: 1, count: n + 1)
        for node in order.reversed() where node != root { size[Int(parent[node])] += size[node] }
        for node in 0...n {
            if Int(subtreeSize[node]) != size[node] { issues.append("subtreeSize[\(node)] = \(subtreeSize[node]), expected \(size[node])") }
            let last = order[position[node] + size[node] - 1]
            if Int(lastInSubtree[node]) != last { issues.append("lastInSubtree[\(node)] = \(lastInSubtree[node]), expected \(last)") }
            if node == root { continue }
            let p = Int(parent[node])
            if position[p] >= position[node] { issues.append("parent \(p) of \(node) comes later in the thread") }
            let e = Int(pred[node])
            let (t, h) = (Int(tail[e]), Int(head[e]))
            if !(predUp[node] ? (t == node && h == p) : (t == p && h == node)) { issues.append("pred arc \(e) of \(node) does not join it to \(p)") }
            if state[e] != Self.inTree { issues.append("pred arc \(e) of \(node) is not in the tree") }
            let reduced = cost[e] &+ pi[t] &- pi[h]
            if reduced != 0 { issues.append("tree arc \(e) has reduced cost \(reduced)") }
        }
        var balance = [Int64](repeating: 0, count: n + 1)
        for e in 0..<(arcCount + n) {
            if flow[e] < 0 || (capacity[e] != Self.unlimited && flow[e] > capacity[e]) { issues.append("arc \(e): flow \(flow[e]) out of bounds") }
            if state[e] == Self.atLower && flow[e] != 0 { issues.append("arc \(e) at lower has flow \(flow[e])") }
            if state[e] == Self.atUpper && flow[e] != capacity[e] { issues.append("arc \(e) at upper has flow \(flow[e])") }
            balance[Int(tail[e])] += flow[e]
            balance[Int(head[e])] -= flow[e]
        }
        for node in 0..<n where balance[node] != supplies[node] { issues.append("node \(node): balance \(balance[node]) ≠ supply \(supplies[node])") }
        return issues
    }
    #endif
}
