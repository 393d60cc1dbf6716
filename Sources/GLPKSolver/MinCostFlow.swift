import MinCostFlow
import CGLPK

extension FlowNetwork {
    /// Finds a min-cost flow, or says why there is none, on the calling thread.
    ///
    /// Outcome precedence: feasibility is decided first, so an instance that is infeasible
    /// and also has a negative-cost cycle of uncapacitated arcs is ``FlowOutcome/infeasible(reason:)``;
    /// a feasible one with such a cycle is ``FlowOutcome/unbounded(reason:)`` (both algorithms).
    ///
    /// - Parameter algorithm: ``FlowAlgorithm/glpkSimplex`` (any finite data),
    ///   ``FlowAlgorithm/glpkOutOfKilter`` or ``FlowAlgorithm/networkSimplex`` (integral data
    ///   only), or ``FlowAlgorithm/automatic`` (the network simplex when it can, else GLPK's simplex).
    /// - Returns: the optimum with node potentials (see ``FlowSolution`` for the sign
    ///   convention), or the reason there is none.
    /// - Throws: ``FlowError/invalidInput(_:)`` if ``validate()`` fails;
    ///   ``FlowError/notIntegral(_:)`` or ``FlowError/overflow(_:)`` when the out-of-kilter
    ///   solver or the network simplex cannot take the data; ``FlowError/solverFailed(code:meaning:)`` if GLPK fails.
    /// - Complexity: O(n · m) for the negative-cycle check (Bellman–Ford on uncapacitated
    ///   arcs) plus the solver: the simplex has no polynomial bound; out-of-kilter is
    ///   pseudo-polynomial, O(m · U) augmentations of O(n + m) for U the largest capacity.
    ///   The network simplex skips the Bellman–Ford check (see ``NetworkSimplex/solve()``).
    public func solve(using algorithm: FlowAlgorithm = .glpkSimplex) throws(FlowError) -> FlowOutcome {
        try validate()
        if arcs.isEmpty {
            // GLPK needs at least one column; nothing to optimise anyway.
            if let node = supply.firstIndex(where: { $0 != 0 }) {
                return .infeasible(reason: "node \(node) has supply \(supply[node]) but the network has no arcs")
            }
            return .optimal(FlowSolution(flow: [], potential: Array(repeating: 0, count: nodeCount), cost: 0))
        }
        switch algorithm {
        case .glpkSimplex: return try solveBySimplex()
        case .glpkOutOfKilter: return try solveByOutOfKilter()
        case .networkSimplex: return try NetworkSimplex(validated: self).solve()
        case .automatic:
            let solver: NetworkSimplex
            do {
                solver = try NetworkSimplex(validated: self)
            } catch {
                return try solveBySimplex()  // not integral, or beyond its 64-bit bounds
            }
            return solver.solve()
        }
    }

    /// The LP: column k = flow on arc k in [lower, capacity]; row i: outflow − inflow = supply[i].
    /// Potentials are the row duals (GLPK: d_k = c_k − Σ_i a_ik π_i = c − π_tail + π_head).
    private func solveBySimplex() throws(FlowError) -> FlowOutcome {
        var rows = [[(variable: Int, value: Double)]](repeating: [], count: nodeCount)
        for (k, arc) in arcs.enumerated() where arc.tail != arc.head {  // a self-loop's row terms cancel
            rows[arc.tail].append((k, 1))
            rows[arc.head].append((k, -1))
        }
        let program = LinearProgram(
            sense: .minimize,
            variables: arcs.map {
                .init(lower: $0.lower, upper: $0.capacity.isFinite ? $0.capacity : nil, objective: $0.unitCost)
            },
            constraints: (0..<nodeCount).map { .init(coefficients: rows[$0], lower: supply[$0], upper: supply[$0]) }
        )
        let outcome: LPOutcome
        do {
            outcome = try program.solve()
        } catch {
            switch error {
            case .invalidModel(let message): throw .invalidInput(message)
            case .solverFailed(let code, let meaning): throw .solverFailed(code: code, meaning: meaning)
            }
        }
        switch outcome {
        case .optimal(let solution):
            return .optimal(FlowSolution(flow: solution.values, potential: solution.duals ?? [], cost: cost(of: solution.values)))
        case .infeasible:
            return .infeasible(reason: "no flow meets every supply within the arc bounds (GLPK primal simplex, phase 1)")
        case .unbounded:
            if let cycle = negativeUncapacitatedCycle() { return .unbounded(reason: describe(cycle: cycle)) }
            return .unbounded(reason: "GLPK's simplex found the cost unbounded below")
        case .limitReached:
            throw .solverFailed(code: 0, meaning: "glp_simplex stopped without an answer and no limit was set")
        }
    }

    /// Out-of-kilter on a shifted copy: x = lower + x', so GLPK sees lower bounds 0,
    /// capacities capacity − lower and supplies adjusted by the moved lower bounds.
    /// Uncapacitated arcs get the finite capacity Σ(positive shifted supplies) + Σ(finite
    /// shifted capacities), which no basic solution exceeds; unboundedness is decided in Swift
    /// (negative cycle of uncapacitated arcs), after feasibility. Self-loops never reach GLPK
    /// (it rejects them): their flow is set here (capacity if the cost is negative, else lower).
    private func solveByOutOfKilter() throws(FlowError) -> FlowOutcome {
        let limit = Int64(Int32.max)
        func integral(_ value: Double, _ what: String) throws(FlowError) -> Int64 {
            guard value.rounded() == value, abs(value) <= Double(limit) else {
                throw .notIntegral("\(what) is \(value); the out-of-kilter solver needs integers within ±\(limit) (use .glpkSimplex otherwise)")
            }
            return Int64(value)
        }

        var shiftedSupply = [Int64](repeating: 0, count: nodeCount)
        for i in 0..<nodeCount { shiftedSupply[i] = try integral(supply[i], "node \(i): supply") }
        var shiftedCapacity = [Int64?](repeating: nil, count: arcs.count)  // nil = uncapacitated
        var cost = [Int64](repeating: 0, count: arcs.count)
        for (k, arc) in arcs.enumerated() {
            let label = "arc \(k) (\(arc.tail)→\(arc.head))"
            let lower = try integral(arc.lower, "\(label): lower bound")
            cost[k] = try integral(arc.unitCost, "\(label): unit cost")
            if arc.capacity.isFinite {
                shiftedCapacity[k] = try integral(arc.capacity, "\(label): capacity") - lower
                guard shiftedCapacity[k]! <= limit else {
                    throw .overflow("\(label): capacity − lower bound = \(shiftedCapacity[k]!) exceeds \(limit)")
                }
            }
            if arc.tail != arc.head {
                shiftedSupply[arc.tail] -= lower
                shiftedSupply[arc.head] += lower
            }
        }
        let imbalance = shiftedSupply.reduce(0, +)
        guard imbalance == 0 else {
            throw .invalidInput("supplies sum to \(imbalance); the out-of-kilter solver needs them to sum to exactly 0")
        }
        var totalSupply: Int64 = 0
        for (i, value) in shiftedSupply.enumerated() {
            guard abs(value) <= limit else {
                throw .overflow("node \(i): supply after moving arc lower bounds is \(value), beyond ±\(limit)")
            }
            if value > 0 { totalSupply += value }
        }
        guard totalSupply <= limit else {
            throw .overflow("total supply after moving arc lower bounds is \(totalSupply), beyond \(limit)")
        }
        var artificialCapacity = totalSupply
        var hasUncapacitated = false
        for (k, arc) in arcs.enumerated() where arc.tail != arc.head {
            if let capacity = shiftedCapacity[k] { artificialCapacity += capacity } else { hasUncapacitated = true }
        }
        if hasUncapacitated && artificialCapacity > limit {
            throw .overflow("uncapacitated arcs need a stand-in capacity of Σ supply + Σ finite capacity = \(artificialCapacity), beyond \(limit); use .glpkSimplex")
        }
        let stand = Double(min(artificialCapacity, limit))

        // Feasibility first; with a negative uncapacitated cycle only feasibility is asked.
        let cycle = negativeUncapacitatedCycle()
        var graph = GLPKGraph(vertexCount: nodeCount)
        for i in 0..<nodeCount { graph.setSupply(Double(shiftedSupply[i]), ofNode: i) }
        var graphIndex = [Int?](repeating: nil, count: arcs.count)
        for (k, arc) in arcs.enumerated() where arc.tail != arc.head {
            graphIndex[k] = graph.addArc(
                tail: arc.tail, head: arc.head,
                capacity: shiftedCapacity[k].map(Double.init) ?? stand,
                unitCost: cycle == nil ? Double(cost[k]) : 0)
        }
        let code = graph.runOutOfKilter()
        switch code {
        case 0:
            break
        case GLP_ENOPFS:
            return .infeasible(reason: "no flow meets every supply within the arc bounds (GLPK out-of-kilter found no feasible circulation)")
        case GLP_ERANGE:
            throw .overflow("glp_mincost_okalg: an intermediate value exceeded 32-bit integers; scale the costs down or use .glpkSimplex")
        case GLP_EDATA:
            throw .solverFailed(code: code, meaning: "glp_mincost_okalg rejected data RoutePlanner had validated (a bug in RoutePlanner)")
        default:
            throw .solverFailed(code: code, meaning: GLPKProblem.meaning(of: code, in: "glp_mincost_okalg"))
        }
        if let cycle { return .unbounded(reason: describe(cycle: cycle)) }

        var flow = [Double](repeating: 0, count: arcs.count)
        for (k, arc) in arcs.enumerated() {
            if let index = graphIndex[k] {
                flow[k] = arc.lower + graph.flow(ofArc: index)
            } else {
                flow[k] = arc.unitCost < 0 ? arc.capacity : arc.lower  // self-loop; capacity finite here
            }
        }
        let potential = (0..<nodeCount).map { graph.potential(ofNode: $0) }
        for (k, arc) in arcs.enumerated() where graphIndex[k] != nil && arc.capacity == .infinity {
            let reducedCost = arc.unitCost - potential[arc.tail] + potential[arc.head]
            if reducedCost < 0 {
                throw .solverFailed(code: 0, meaning: "out-of-kilter left uncapacitated arc \(k) at its stand-in capacity \(stand) with negative reduced cost (a bug in RoutePlanner)")
            }
        }
        return .optimal(FlowSolution(flow: flow, potential: potential, cost: self.cost(of: flow)))
    }

    /// Σ unitCost · flow.
    private func cost(of flow: [Double]) -> Double {
        zip(arcs, flow).reduce(0) { $0 + $1.0.unitCost * $1.1 }
    }
}
