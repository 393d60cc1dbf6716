/// NETGEN-shaped random networks (after Klingman, Napier and Stutz 1974; our own code).
///
/// The shape NETGEN is known for: pure sources first and pure sinks last, every other node a
/// transshipment node; a *skeleton* that makes the instance feasible (each source owns a chain
/// through a random share of the transshipment nodes, and sends its supply down the chain and off
/// it to a few sinks), a share of the skeleton's arcs at the maximum cost (so the cheapest
/// solution has to leave the skeleton) and a share of them capacitated at no less than the flow
/// the skeleton puts on them; then random arcs up to the arc count, from a non-sink to a
/// non-source, with random costs and (for a share of them) random capacities. Uncapacitated arcs
/// get the total supply as capacity.
struct NetgenParameters {
    var nodes: Int
    var arcs: Int
    var sources: Int
    var sinks: Int
    /// Mean supply of a source; each source draws uniformly in [mean/2, 3·mean/2].
    var meanSupply = 1000
    var costs = 1...10_000
    var capacities = 100...1000
    /// Share of skeleton arcs at the maximum cost.
    var highCostPercent = 30
    /// Share of arcs (skeleton and random) with a finite capacity.
    var capacitatedPercent = 80

    /// The benchmark's defaults for `nodes`: m = 8n, 2 % of the nodes sources and 2 % sinks.
    init(nodes: Int) {
        self.nodes = nodes
        arcs = 8 * nodes
        sources = max(2, nodes / 50)
        sinks = max(2, nodes / 50)
    }
}

enum Netgen {
    /// - Complexity: O(n + m).
    static func generate(_ p: NetgenParameters, seed: UInt64) -> FlowInstance {
        precondition(p.sources + p.sinks < p.nodes, "need transshipment nodes")
        var random = SplitMix64(seed: seed)
        var instance = FlowInstance(nodeCount: p.nodes, reservingArcs: p.arcs)
        let firstSink = p.nodes - p.sinks
        let transshipment = p.sources..<firstSink

        // Supplies of the sources; the total is what "uncapacitated" means below.
        let sourceSupply = (0..<p.sources).map { _ in random.int(in: p.meanSupply / 2...p.meanSupply * 3 / 2) }
        let total = sourceSupply.reduce(0, +)

        // Sinks are shared among the sources (every source at least one, every sink one source).
        var sinksOfSource = Array(repeating: [Int](), count: p.sources)
        var sinks = Array(firstSink..<p.nodes)
        random.shuffle(&sinks)
        for (i, sink) in sinks.enumerated() {
            sinksOfSource[i < p.sources ? i : random.index(p.sources)].append(sink)
        }
        // Transshipment nodes are dealt out to the sources' chains.
        var pool = Array(transshipment)
        random.shuffle(&pool)

        func skeletonArc(_ from: Int, _ to: Int, flow: Int) {
            let cost = random.chance(p.highCostPercent) ? p.costs.upperBound : random.int(in: p.costs)
            let capacity = random.chance(p.capacitatedPercent) ? max(flow, random.int(in: p.capacities)) : total
            instance.addArc(from, to, capacity: capacity, cost: cost)
        }

        for source in 0..<p.sources {
            let share = pool.count * (source + 1) / p.sources - pool.count * source / p.sources
            let start = pool.count * source / p.sources
            let chain = [source] + pool[start..<(start + share)]
            // Split the supply into one piece per sink, each leaving the chain at a random node.
            let mySinks = sinksOfSource[source]
            var remaining = sourceSupply[source]
            var leaving = Array(repeating: [(sink: Int, amount: Int)](), count: chain.count)
            for (k, sink) in mySinks.enumerated() {
                let amount = k == mySinks.count - 1 ? remaining : random.int(in: 0...remaining / 2)
                remaining -= amount
                leaving[random.index(chain.count)].append((sink, amount))
                instance.supply[sink] -= amount
            }
            instance.supply[source] = sourceSupply[source]
            // Flow along the chain: what leaves at or after each node.
            var downstream = sourceSupply[source]
            for (position, node) in chain.enumerated() {
                for piece in leaving[position] {
                    skeletonArc(node, piece.sink, flow: piece.amount)
                    downstream -= piece.amount
                }
                if position + 1 < chain.count {
                    skeletonArc(node, chain[position + 1], flow: downstream)
                }
            }
        }

        // Random arcs: tail a source or transshipment node, head a transshipment node or sink.
        let tails = 0..<firstSink
        let heads = p.sources..<p.nodes
        while instance.arcCount < p.arcs {
            let from = tails.lowerBound + random.index(tails.count)
            let to = heads.lowerBound + random.index(heads.count)
            guard from != to else { continue }
            let capacity = random.chance(p.capacitatedPercent) ? random.int(in: p.capacities) : total
            instance.addArc(from, to, capacity: capacity, cost: random.int(in: p.costs))
        }
        instance.comments = [
            "NETGEN-like (bench FlowInstances netgen), seed \(seed)",
            "nodes \(p.nodes), arcs \(p.arcs), sources \(p.sources), sinks \(p.sinks), total supply \(total)",
            "costs \(p.costs.lowerBound)..\(p.costs.upperBound), capacities \(p.capacities.lowerBound)..\(p.capacities.upperBound), "
                + "high-cost skeleton \(p.highCostPercent) %, capacitated \(p.capacitatedPercent) %, uncapacitated = total supply",
        ]
        return instance
    }
}
