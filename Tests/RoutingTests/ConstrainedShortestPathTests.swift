import Testing
import TestFixtures
@testable import Routing

/// A small directed graph with a weight and an hours value per arc.
private struct TimedGraph {
    var nodeCount: Int
    var tails: [Int] = []
    var heads: [Int] = []
    var weights: [Double] = []
    var hours: [Double] = []

    var outgoing: [[Int]] {
        var out = Array(repeating: [Int](), count: nodeCount)
        for arc in tails.indices { out[tails[arc]].append(arc) }
        return out
    }

    mutating func addArc(_ tail: Int, _ head: Int, weight: Double, hours: Double) {
        tails.append(tail)
        heads.append(head)
        weights.append(weight)
        self.hours.append(hours)
    }

    /// The search under test, with `maximumLabelsPerNode` left at its default unless given.
    func search(maximumLabelsPerNode: Int? = nil) -> ConstrainedShortestPath {
        var search = ConstrainedShortestPath(tails: tails, heads: heads, outgoing: outgoing, hours: hours)
        if let maximumLabelsPerNode { search.maximumLabelsPerNode = maximumLabelsPerNode }
        return search
    }

    /// Fewest hours from each node to `target` (Bellman–Ford; the graphs are tiny).
    func hoursToTarget(_ target: Int) -> [Double] {
        var distance = Array(repeating: Double.infinity, count: nodeCount)
        distance[target] = 0
        for _ in 0..<nodeCount {
            for arc in tails.indices where distance[heads[arc]] + hours[arc] < distance[tails[arc]] {
                distance[tails[arc]] = distance[heads[arc]] + hours[arc]
            }
        }
        return distance
    }

    /// Every simple path from `source` to `target` as (weight, hours), by depth-first search.
    func simplePaths(from source: Int, to target: Int) -> [(weight: Double, hours: Double)] {
        let out = outgoing
        var found: [(weight: Double, hours: Double)] = []
        var onPath = Array(repeating: false, count: nodeCount)
        func walk(_ node: Int, _ weight: Double, _ time: Double) {
            if node == target { found.append((weight, time)); return }
            onPath[node] = true
            for arc in out[node] where !onPath[heads[arc]] {
                walk(heads[arc], weight + weights[arc], time + hours[arc])
            }
            onPath[node] = false
        }
        walk(source, 0, 0)
        return found
    }

    /// Whether `path` runs from `source` to `target` along arcs of the graph, and its totals.
    func walk(_ path: WeightedPath, from source: Int, to target: Int) -> (isPath: Bool, weight: Double, hours: Double) {
        var node = source
        var weight = 0.0, time = 0.0
        for arc in path.arcs {
            guard arc >= 0, arc < tails.count, tails[arc] == node else { return (false, weight, time) }
            node = heads[arc]
            weight += weights[arc]
            time += hours[arc]
        }
        return (node == target, weight, time)
    }
}

/// A seeded random graph: 6–9 nodes, 14–25 arcs (parallel arcs allowed, no loops). Weights are
/// 0–19 and hours fall as weights rise (19 − weight, scaled by 3/4, plus 0–4), so cheap arcs are
/// slow and the cheapest path is rarely the fastest; three arcs in four run from a lower node
/// number to a higher one, so there are many paths to compare (and still cycles). Seven instances in eight start with a path
/// of 2–3 arcs from node 0 to the last node, so the target is reachable; the eighth may not be.
private func randomTimedGraph(seed: UInt64) -> TimedGraph {
    var random = SeededGenerator(seed: seed &* 0x2545_F491 &+ 17)
    let nodeCount = 6 + Int(random.next() % 4)
    var graph = TimedGraph(nodeCount: nodeCount)
    func addRandomArc(_ tail: Int, _ head: Int) {
        let weight = random.next() % 20
        graph.addArc(tail, head, weight: Double(weight), hours: Double((19 - weight) * 3 / 4 + random.next() % 5))
    }
    if seed % 8 != 0 {
        var stops = [0]
        for _ in 0..<(1 + random.next() % 2) { stops.append(1 + Int(random.next() % UInt64(nodeCount - 2))) }
        stops.append(nodeCount - 1)
        for (tail, head) in zip(stops, stops.dropFirst()) where tail != head { addRandomArc(tail, head) }
    }
    let arcCount = 14 + Int(random.next() % 12)
    while graph.tails.count < arcCount {
        let a = Int(random.next() % UInt64(nodeCount)), b = Int(random.next() % UInt64(nodeCount))
        guard a != b else { continue }
        // Three arcs in four point towards the target's end of the numbering: more paths to it.
        if random.next() % 4 == 0 { addRandomArc(max(a, b), min(a, b)) } else { addRandomArc(min(a, b), max(a, b)) }
    }
    return graph
}

/// The lightest path within `budgetHours` among `paths`, or nil.
private func lightestWithin(_ budgetHours: Double, _ paths: [(weight: Double, hours: Double)]) -> Double? {
    paths.filter { $0.hours <= budgetHours + 1e-9 }.map(\.weight).min()
}

@Suite("Constrained shortest path against exhaustive enumeration")
struct ConstrainedShortestPathTests {
    /// Seeded random graphs where the deadline binds: the budget lies between the fastest path's
    /// hours and the hours of the cheapest path (the fastest of the cheapest when several tie),
    /// so the unconstrained optimum is out of reach. The search must return the lightest simple
    /// path within the budget (walks with a cycle are never lighter and never faster, so simple
    /// paths suffice), as a real path whose hours fit, or nil when none fits. Every instance runs
    /// twice: with the exact fewest hours to the target, as the planner passes them, and with
    /// zeros, a weaker lower bound that leaves all the pruning to the labels. Every fourth
    /// instance also asks for less than the fastest path takes: the answer must be nil.
    @Test func matchesBruteForceWhereDeadlinesBind() {
        let instances = 600
        var reachable = 0, binding = 0, tooTight = 0
        for seed in 0..<UInt64(instances) {
            let graph = randomTimedGraph(seed: seed)
            let source = 0, target = graph.nodeCount - 1
            let paths = graph.simplePaths(from: source, to: target)
            let exactBounds = graph.hoursToTarget(target)
            var budgets: [Double] = []
            if let fastest = paths.map(\.hours).min() {
                reachable += 1
                #expect(fastest == exactBounds[source], "seed \(seed): Bellman–Ford disagrees with the enumeration")
                let cheapestWeight = paths.map(\.weight).min()!
                let cheapestHours = paths.filter { $0.weight == cheapestWeight }.map(\.hours).min()!
                var random = SeededGenerator(seed: seed)
                let share = Double(random.next() % 1000) / 1000
                if cheapestHours > fastest {
                    binding += 1
                    let budget = fastest + share * (cheapestHours - fastest)
                    budgets.append(budget)
                    // The deadline binds: the best path within it is dearer than the cheapest.
                    #expect(lightestWithin(budget, paths)! > cheapestWeight, "seed \(seed): the deadline does not bind")
                } else {
                    budgets.append(fastest + share * 10)
                }
                if seed % 4 == 0, fastest > 0 {
                    tooTight += 1
                    budgets.append(fastest - 0.5)
                }
            } else {
                budgets.append(100)  // the target is unreachable: nil whatever the budget
            }
            let search = graph.search()
            for budget in budgets {
                let expected = lightestWithin(budget, paths)
                for bounds in [exactBounds, Array(repeating: 0, count: graph.nodeCount)] {
                    let found = search.path(weights: graph.weights, from: source, to: target, budgetHours: budget,
                                            hoursToTarget: bounds)
                    let pruning = bounds == exactBounds ? "exact" : "zero"
                    guard let expected else {
                        #expect(found == nil, "seed \(seed), budget \(budget), \(pruning) bounds: a path where none fits")
                        continue
                    }
                    guard let found else {
                        Issue.record("seed \(seed), budget \(budget), \(pruning) bounds: no path; the lightest within it weighs \(expected)")
                        continue
                    }
                    let walked = graph.walk(found, from: source, to: target)
                    #expect(walked.isPath, "seed \(seed): the arcs \(found.arcs) are not a path \(source)→\(target)")
                    #expect(walked.hours <= budget + 1e-9, "seed \(seed): takes \(walked.hours) h, budget \(budget) h")
                    #expect(abs(walked.weight - found.weight) < 1e-9, "seed \(seed): reported weight is not the arcs' sum")
                    #expect(abs(found.weight - expected) < 1e-9,
                            "seed \(seed), budget \(budget), \(pruning) bounds: weight \(found.weight), optimum \(expected)")
                }
            }
        }
        // Most instances must test a binding deadline, not the unconstrained shortest path.
        #expect(reachable >= instances * 3 / 4, "only \(reachable) of \(instances) instances reach the target")
        #expect(binding >= reachable * 2 / 3, "the deadline binds in only \(binding) of \(reachable) reachable instances")
        #expect(tooTight >= instances / 8, "only \(tooTight) instances ask for less than the fastest path")
        #expect(reachable < instances, "no instance leaves the target unreachable")
    }
}

/// A chain of `diamonds` diamonds from node 0 to node `diamonds`: diamond i offers a cheap, slow
/// arm (weight 0, 2^i hours) and a dear, fast arm (weight 2^i, 0 hours), each through a middle
/// node. After j diamonds the 2^j prefixes have distinct weights w and hours 2^j − 1 − w, so none
/// dominates another and 2^j labels reach node j: beyond six diamonds, more than 64.
private func diamondChain(_ diamonds: Int) -> TimedGraph {
    var graph = TimedGraph(nodeCount: 3 * diamonds + 1)
    for i in 0..<diamonds {
        let dearMiddle = diamonds + 1 + 2 * i, cheapMiddle = dearMiddle + 1
        let value = Double(1 << i)
        graph.addArc(i, dearMiddle, weight: value, hours: 0)
        graph.addArc(dearMiddle, i + 1, weight: 0, hours: 0)
        graph.addArc(i, cheapMiddle, weight: 0, hours: value)
        graph.addArc(cheapMiddle, i + 1, weight: 0, hours: 0)
    }
    return graph
}

@Suite("Constrained shortest path at its label bound")
struct ConstrainedShortestPathLabelBoundTests {
    /// The search keeps at most `maximumLabelsPerNode` labels a node; a label that is not
    /// dominated but arrives at a full node is dropped. Labels are created in the order their
    /// parents leave the queue, lightest first, so a full node keeps its lightest labels and
    /// drops the dearer, faster ones. Below the bound the answer is exact; beyond it the answer
    /// is a path within the budget that may be dearer than the optimum.
    ///
    /// Eight diamonds, budget 128 hours: the optimum takes the dear arm in diamonds 0–6 and the
    /// cheap one in diamond 7 (weight 127, hours 128). Its prefix at node 7 is the dearest of
    /// 128 non-dominated labels, so at the default bound (64) node 7 keeps only the 64 lightest
    /// prefixes, none of which can afford the slow last arm; the search then returns the
    /// lightest path through a kept prefix, which pays for the fast last arm.
    @Test func beyondTheBoundTheAnswerIsFeasibleButDearer() throws {
        let diamonds = 8, budget = 128.0
        let graph = diamondChain(diamonds)
        let source = 0, target = diamonds, crowded = diamonds - 1
        let bounds = graph.hoursToTarget(target)
        let defaultBound = graph.search().maximumLabelsPerNode

        // More non-dominated labels within the budget reach node 7 than the bound keeps.
        let prefixes = graph.simplePaths(from: source, to: crowded).filter { $0.hours + bounds[crowded] <= budget + 1e-9 }
        let nonDominated = prefixes.filter { p in !prefixes.contains { $0.weight <= p.weight && $0.hours <= p.hours && ($0.weight < p.weight || $0.hours < p.hours) } }
        #expect(nonDominated.count > defaultBound, "\(nonDominated.count) labels; the instance does not cross the bound")

        let optimum = try #require(lightestWithin(budget, graph.simplePaths(from: source, to: target)))
        // What the bound leaves: the 64 lightest prefixes at node 7, each completed by either arm.
        let kept = nonDominated.sorted { $0.weight < $1.weight }.prefix(defaultBound)
        let lastArms = graph.simplePaths(from: crowded, to: target)
        let expectedAtBound = try #require(kept.flatMap { p in
            lastArms.filter { p.hours + $0.hours <= budget + 1e-9 }.map { p.weight + $0.weight }
        }.min())
        #expect(expectedAtBound > optimum, "the instance should show the loss; it does not")

        let found = try #require(graph.search().path(weights: graph.weights, from: source, to: target,
                                                     budgetHours: budget, hoursToTarget: bounds))
        let walked = graph.walk(found, from: source, to: target)
        #expect(walked.isPath && walked.hours <= budget + 1e-9, "beyond the bound the path must still fit the budget")
        #expect(found.weight == expectedAtBound, "weight \(found.weight); the lightest through the kept labels is \(expectedAtBound)")
        #expect(found.weight > optimum, "at the bound the search is not exact: \(found.weight) vs optimum \(optimum)")

        // With room for every label the same search is exact.
        let roomy = try #require(graph.search(maximumLabelsPerNode: 1 << diamonds).path(
            weights: graph.weights, from: source, to: target, budgetHours: budget, hoursToTarget: bounds))
        #expect(roomy.weight == optimum)
    }

    /// Budgets from 0 to 255 hours in steps of 3 on chains of 6 and 8 diamonds. Six diamonds put at most
    /// 64 labels on a node, so every answer is exact. Eight diamonds cross the bound: every
    /// answer still fits its budget (a kept label always reaches the target in time, as the
    /// pruning admits only labels whose fastest completion fits), none is lighter than the
    /// optimum, and some are dearer.
    @Test(arguments: [6, 8])
    func everyBudgetOnADiamondChain(diamonds: Int) throws {
        let graph = diamondChain(diamonds)
        let bounds = graph.hoursToTarget(diamonds)
        let paths = graph.simplePaths(from: 0, to: diamonds)
        let search = graph.search()
        var inexact = 0
        for budget in stride(from: 0.0, through: 255, by: 3) {
            let optimum = try #require(lightestWithin(budget, paths))
            let found = try #require(search.path(weights: graph.weights, from: 0, to: diamonds, budgetHours: budget,
                                                 hoursToTarget: bounds), "budget \(budget): no path")
            let walked = graph.walk(found, from: 0, to: diamonds)
            #expect(walked.isPath && walked.hours <= budget + 1e-9, "budget \(budget): takes \(walked.hours) h")
            #expect(found.weight >= optimum - 1e-9, "budget \(budget): lighter than the optimum")
            if found.weight > optimum + 1e-9 { inexact += 1 }
        }
        if (1 << diamonds) <= search.maximumLabelsPerNode {
            #expect(inexact == 0, "\(inexact) budgets gave a dearer path without crossing the bound")
        } else {
            #expect(inexact > 0, "no budget shows the bound's loss")
        }
    }

    /// The random instances of the oracle test with the bound lowered to 1, 2 and 3 labels a
    /// node: with exact hours to the target, a path is returned exactly when one fits the
    /// budget, it fits, and it is never lighter than the optimum.
    @Test(arguments: [1, 2, 3])
    func aLowBoundKeepsFeasibility(maximumLabelsPerNode: Int) {
        var dearer = 0
        for seed in 0..<UInt64(300) {
            let graph = randomTimedGraph(seed: seed)
            let source = 0, target = graph.nodeCount - 1
            let paths = graph.simplePaths(from: source, to: target)
            guard let fastest = paths.map(\.hours).min() else { continue }
            let slowest = paths.map(\.hours).max()!
            let budget = fastest + Double(seed % 5) / 4 * (slowest - fastest)
            let expected = lightestWithin(budget, paths)!
            let found = graph.search(maximumLabelsPerNode: maximumLabelsPerNode).path(
                weights: graph.weights, from: source, to: target, budgetHours: budget,
                hoursToTarget: graph.hoursToTarget(target))
            guard let found else {
                Issue.record("seed \(seed), \(maximumLabelsPerNode) labels: no path although one fits")
                continue
            }
            let walked = graph.walk(found, from: source, to: target)
            #expect(walked.isPath && walked.hours <= budget + 1e-9, "seed \(seed): takes \(walked.hours) h, budget \(budget) h")
            #expect(found.weight >= expected - 1e-9, "seed \(seed): lighter than the optimum")
            if found.weight > expected + 1e-9 { dearer += 1 }
        }
        // A bound this low must bite somewhere, or the test shows nothing.
        #expect(dearer > 0, "no instance lost optimality at \(maximumLabelsPerNode) labels a node")
    }
}
