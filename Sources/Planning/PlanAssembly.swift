import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

extension BatchPlanner {
    /// Turns the master solution into per-shipment routes, reasons and service usage.
    func assemble(
        shipments: [Shipment], groups: [Group], graphs: [QueryGraph], columns: [Column], values: [Double], unmet: [Double],
        rowKeys: [(arc: Int, week: Int)], activities: [Double], rowDuals: [Double], horizonStart: CalendarDay, weeks: Int,
        iterations: Int, options: PlanOptions, lowerBound: Double?, departures: [Int64: Int]?,
        capacity: (Int, Int) -> Double
    ) -> Plan {
        let epsilon = 1e-6
        var columnsOfGroup = Array(repeating: [Int](), count: groups.count)
        for (j, column) in columns.enumerated() { columnsOfGroup[column.group].append(j) }
        var rowIndex: [Int64: Int] = [:]
        for (r, rk) in rowKeys.enumerated() { rowIndex[Int64(rk.arc) << 16 | Int64(rk.week)] = r }

        var plans = [ShipmentPlan?](repeating: nil, count: shipments.count)
        for (g, group) in groups.enumerated() {
            let queryGraph = graphs[group.graph]
            var parts = columnsOfGroup[g].filter { values[$0] > epsilon }.map { (column: $0, left: values[$0]) }
                .sorted { (columns[$0.column].week, -$0.left) < (columns[$1.column].week, -$1.left) }
            let reason = unmet[g] > epsilon ? explain(group: group, groupColumns: columnsOfGroup[g], columns: columns,
                                                       graph: queryGraph, rowIndex: rowIndex, activities: activities,
                                                       capacity: capacity) : nil
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
                        let route = queryGraph.route(of: WeightedPath(arcs: column.arcs, weight: 0), query: query)
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

        // Service usage: per service arc, every week it has a row.
        var byArc: [Int: [(week: Int, capacityTEU: Double, usedTEU: Double, dualUSDPerTEU: Double)]] = [:]
        for (r, rk) in rowKeys.enumerated() {
            byArc[rk.arc, default: []].append((rk.week, capacity(rk.arc, rk.week), activities[r], -min(0, rowDuals[r])))
        }
        var services: [ServiceUsage] = []
        for (arc, weekly) in byArc {
            guard case .service(let id) = router.graph.roles[arc], let service = network.service(id) else { continue }
            let used = weekly.map(\.usedTEU).max() ?? 0
            guard used > epsilon else { continue }
            let nominal = (service.capacityTEUPerDeparture
                ?? service.capacityTonnesPerDeparture.map { $0 / network.defaults.tonnesPerTEU } ?? 0) * service.departuresPerWeek
            var needed: [Int]?
            if let departures {
                needed = (0..<weeks).map { departures[Int64(arc) << 16 | Int64($0)] ?? 0 }
            }
            services.append(ServiceUsage(
                service: id, capacityTEU: nominal, usedTEU: used, dualUSDPerTEU: weekly.reduce(0) { $0 + $1.dualUSDPerTEU },
                weeks: weekly.sorted { $0.week < $1.week }, departuresNeeded: needed))
        }
        services.sort { ($0.dualUSDPerTEU, $0.usedTEU) > ($1.dualUSDPerTEU, $1.usedTEU) }
        let planned = plans.compactMap { $0 }
        return Plan(shipments: planned, services: services, totalCostUSD: planned.reduce(0) { $0 + $1.costUSD },
                    objective: options.objective, horizonStart: horizonStart, weeks: weeks, iterations: iterations,
                    lowerBound: lowerBound, isInteger: options.integer)
    }

    /// Why a group could not go in full: no route, cargo, deadline, or full services.
    func explain(group: Group, groupColumns: [Int], columns: [Column], graph: QueryGraph, rowIndex: [Int64: Int],
                 activities: [Double], capacity: (Int, Int) -> Double) -> String {
        let query = group.query
        if groupColumns.isEmpty {
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
                guard let r = rowIndex[Int64(arc) << 16 | Int64(column.week)],
                      activities[r] >= capacity(arc, column.week) - 1e-6,
                      case .service(let id) = graph.graph.roles[arc] else { continue }
                let label = "\(id) (week \(column.week), \(Int(capacity(arc, column.week).rounded())) TEU)"
                if seen.insert(label).inserted { full.append(label) }
            }
        }
        return full.isEmpty ? "capacity: every route within the deadline is full"
            : "capacity: full services: " + full.prefix(4).joined(separator: ", ")
    }
}
