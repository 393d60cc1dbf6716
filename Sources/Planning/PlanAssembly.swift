import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

extension BatchPlanner {
    /// Phase 5: turns the master solution into per-shipment routes, reasons and service usage;
    /// integer plans add the fixed cost of their whole departures.
    /// - Complexity: O(c · L + s + r) for c columns of L arcs, s shipments and r capacity rows.
    func assemble(batch: Batch, solution: MasterSolution, options: PlanOptions) -> Plan {
        let epsilon = 1e-6
        let shipments = batch.shipments
        let groups = batch.groups
        let columns = solution.columns
        let values = solution.columnTEU
        let unmet = solution.unmetTEU
        let activities = solution.rowActivity
        var columnsOfGroup = Array(repeating: [Int](), count: groups.count)
        for (j, column) in columns.enumerated() { columnsOfGroup[column.demand].append(j) }
        let rowIndex = Dictionary(uniqueKeysWithValues: solution.rows.enumerated().map { ($1, $0) })

        var plans = [ShipmentPlan?](repeating: nil, count: shipments.count)
        // Groups of one origin-destination pair in a row, so each pair's query graph is built once
        // and only while it is needed (plans are per shipment, so the order does not matter).
        let order = groups.indices.sorted { (groups[$0].graph, groups[$0].destination, $0) < (groups[$1].graph, groups[$1].destination, $1) }
        var cached: (graph: Int, destination: Int, queryGraph: QueryGraph)?
        for g in order {
            let group = groups[g]
            // Built only for groups with routes or with no column to explain from.
            func queryGraph() -> QueryGraph {
                if let cached, cached.graph == group.graph, cached.destination == group.destination { return cached.queryGraph }
                let built = QueryGraph(graph: router.graph, query: group.query)
                cached = (group.graph, group.destination, built)
                return built
            }
            var parts = columnsOfGroup[g].filter { values[$0] > epsilon }.map { (column: $0, left: values[$0]) }
                .sorted { (columns[$0.column].week, -$0.left) < (columns[$1.column].week, -$1.left) }
            let reason = unmet[g] > epsilon ? explain(group: group, groupColumns: columnsOfGroup[g], columns: columns,
                                                       graph: queryGraph, rowIndex: rowIndex, solution: solution) : nil
            for s in group.shipments {
                let shipment = shipments[s]
                var need = shipment.teu
                var routes: [PlannedRoute] = []
                var p = 0
                while need > epsilon && p < parts.count {
                    let take = min(need, parts[p].left)
                    if take > epsilon {
                        let column = columns[parts[p].column]
                        var query = group.query
                        query.teu = take
                        query.tonnes = shipment.tonnes * take / shipment.teu
                        let route = queryGraph().route(of: WeightedPath(arcs: column.arcs, weight: 0), query: query)
                        let option = group.weeks.first { $0.week == column.week }!
                        routes.append(PlannedRoute(
                            route: route, teu: take, week: column.week, startDay: option.start,
                            departure: option.start.dateTime(plusHours: route.serviceLegs.first?.departureHour ?? 0),
                            arrival: option.start.dateTime(plusHours: route.transitHours)))
                        need -= take
                        parts[p].left -= take
                    }
                    if parts[p].left <= epsilon { p += 1 }
                }
                let carried = shipment.teu - max(0, need)
                let status: ShipmentStatus = need <= epsilon ? .planned : (carried > epsilon ? .partial : .unmet)
                plans[s] = ShipmentPlan(
                    shipment: shipment, status: status, reason: status == .planned ? nil : reason,
                    routes: routes, unmetTEU: max(0, need), costUSD: routes.reduce(0) { $0 + $1.route.costUSD },
                    co2eKg: routes.reduce(0) { $0 + $1.route.co2eKg })
            }
        }

        // Service usage: per service arc (in order of its first row), every week it has a row.
        var arcs: [Int] = []
        var byArc: [Int: [(week: Int, capacityTEU: Double, usedTEU: Double, dualUSDPerTEU: Double)]] = [:]
        for (r, serviceWeek) in solution.rows.enumerated() {
            if byArc[serviceWeek.arc] == nil { arcs.append(serviceWeek.arc) }
            byArc[serviceWeek.arc, default: []].append((serviceWeek.week, solution.rowCapacityTEU[r], activities[r],
                                                        -min(0, solution.rowDual[r])))
        }
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        var services: [ServiceUsage] = []
        for arc in arcs {
            let weekly = byArc[arc]!
            guard case .service(let id) = router.graph.roles[arc], let service = network.service(id),
                  let nominal = service.capacity.teuPerWeek(tonnesPerTEU: tonnesPerTEU) else { continue }
            let used = weekly.map(\.usedTEU).max() ?? 0
            guard used > epsilon else { continue }
            let needed = solution.departures.map { departures in
                (0..<batch.weekCount).map { departures[ServiceWeek(arc: arc, week: $0)] ?? 0 }
            }
            services.append(ServiceUsage(
                service: id, capacityTEU: nominal, usedTEU: used, dualUSDPerTEU: weekly.reduce(0) { $0 + $1.dualUSDPerTEU },
                weeks: weekly.sorted { $0.week < $1.week }, departuresNeeded: needed))
        }
        // Highest dual first, then busiest; ties by id, so the order never depends on hashing.
        services.sort {
            ($0.dualUSDPerTEU, $0.usedTEU) != ($1.dualUSDPerTEU, $1.usedTEU)
                ? ($0.dualUSDPerTEU, $0.usedTEU) > ($1.dualUSDPerTEU, $1.usedTEU) : $0.service < $1.service
        }
        let planned = plans.compactMap { $0 }
        var totalCost = planned.reduce(0) { $0 + $1.costUSD }
        if let departures = solution.departures {
            var fixed = 0.0
            for serviceWeek in solution.rows {
                guard let count = departures[serviceWeek], let service = service(of: serviceWeek) else { continue }
                fixed += Double(count) * fixedCostPerDeparture(service)
            }
            totalCost += fixed
        }
        return Plan(shipments: planned, services: services, totalCostUSD: totalCost,
                    objective: options.objective, horizonStart: batch.horizonStart, weeks: batch.weekCount,
                    iterations: solution.iterations, lowerBound: solution.lowerBound, isInteger: options.integer)
    }

    /// Why a group could not go in full: no route, cargo, deadline, or full services.
    /// `graph` builds the group's query graph, needed only when it has no column.
    func explain(group: Group, groupColumns: [Int], columns: [ColumnGeneration.Column], graph makeGraph: () -> QueryGraph,
                 rowIndex: [ServiceWeek: Int], solution: MasterSolution) -> String {
        let query = group.query
        if groupColumns.isEmpty {
            let graph = makeGraph()
            var any = graph.search(objective: .time, respectCargo: false)
            guard let unconstrained = any.shortestPath(from: graph.source, to: graph.sink) else {
                return "no route: the network has no path from \(query.origin) to \(query.destination)"
            }
            var allowed = graph.search(objective: .time, respectCargo: true)
            guard let fastest = allowed.shortestPath(from: graph.source, to: graph.sink) else {
                let refusing = unconstrained.arcs.compactMap { arc -> String? in
                    guard let accepts = graph.graph.acceptance[arc], !accepts.accepts(query.cargo),
                          case .service(let id) = graph.graph.roles[arc] else { return nil }
                    return id.rawValue
                }
                return "cargo: no route accepts \(query.cargo) (e.g. \(refusing.prefix(3).joined(separator: ", ")) refuse it)"
            }
            let days = fastest.arcs.reduce(0.0) { $0 + graph.graph.attributes[$1].hours } / 24
            let window = (group.weeks.map(\.maxHours).max() ?? 0) / 24
            return String(format: "deadline: the fastest route takes %.1f days; ready to deadline leaves %.1f days", days, window)
        }
        var full: [String] = []
        var seen: Set<String> = []
        for j in groupColumns {
            let column = columns[j]
            for arc in column.arcs {
                guard let r = rowIndex[ServiceWeek(arc: arc, week: column.week)],
                      solution.rowActivity[r] >= solution.rowCapacityTEU[r] - 1e-6,
                      case .service(let id) = router.graph.roles[arc] else { continue }
                let label = "\(id) (week \(column.week), \(Int(solution.rowCapacityTEU[r].rounded())) TEU)"
                if seen.insert(label).inserted { full.append(label) }
            }
        }
        return full.isEmpty ? "capacity: every route within the deadline is full"
            : "capacity: full services: " + full.prefix(4).joined(separator: ", ")
    }
}
