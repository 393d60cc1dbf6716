import Collections
import Foundation
import NetworkData

/// The mode-expanded graph plus one query's source and sink: the origin reaches its own
/// departures directly and, when it is a city, each terminal's departures through a first-mile
/// road leg; arrivals reach the destination likewise.
package struct QueryGraph {
    package var graph: ModeGraph
    package let source: Int
    package let sink: Int
    package let query: RouteQuery
    /// The place group of each node (see ``placeGroups(of:)``).
    package let placeOfNode: [Int]

    package init(graph base: ModeGraph, query: RouteQuery) {
        var graph = base
        let network = base.network
        self.query = query
        source = graph.addNode(place: query.origin)
        sink = graph.addNode(place: query.destination)
        let roadCO2 = network.defaults.accessCO2eGramsPerTonneKm

        func endpointAttributes(terminal: Place, access: CityAccess?, mode: TransportMode) -> ArcAttributes {
            var a = ArcAttributes()
            a.dwellHours = terminal.dwell?.meanHours ?? 0
            if let access {
                a.transitHours = access.hours
                a.costUSDPerTEU = access.costUSDPerTEU
                a.distanceKm = access.distanceKm
                a.co2eKgPerTonne = access.distanceKm * roadCO2 / 1000
                if mode != .road {
                    let handling = network.handling(at: terminal.code)
                    a.dwellHours += handling.hours
                    a.costUSDPerTEU += handling.costUSDPerTEU
                }
            }
            return a
        }

        if let origin = network.place(query.origin) {
            for (mode, node) in (graph.departNode[origin.code] ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                graph.addArc(source, node, .origin(origin.code, via: nil),
                             endpointAttributes(terminal: origin, access: nil, mode: mode), nil)
            }
            for terminal in network.terminals(ofCity: origin.code) {
                guard let access = terminal.cityAccess else { continue }
                for (mode, node) in (graph.departNode[terminal.code] ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    graph.addArc(source, node, .origin(origin.code, via: terminal.code),
                                 endpointAttributes(terminal: terminal, access: access, mode: mode), nil)
                }
            }
        }
        if let destination = network.place(query.destination) {
            for (mode, node) in (graph.arriveNode[destination.code] ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                graph.addArc(node, sink, .destination(destination.code, via: nil),
                             endpointAttributes(terminal: destination, access: nil, mode: mode), nil)
            }
            for terminal in network.terminals(ofCity: destination.code) {
                guard let access = terminal.cityAccess else { continue }
                for (mode, node) in (graph.arriveNode[terminal.code] ?? [:]).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    graph.addArc(node, sink, .destination(destination.code, via: terminal.code),
                                 endpointAttributes(terminal: terminal, access: access, mode: mode), nil)
                }
            }
        }
        self.graph = graph
        placeOfNode = Self.placeGroups(of: graph)
    }

    /// A shortest-path engine weighted for `objective`; arcs refusing the cargo are absent
    /// when `respectCargo`.
    package func search(objective: Objective, respectCargo: Bool, allowedModes: Set<TransportMode>? = nil,
                deadlineHours: Double? = nil) -> KShortestPaths {
        var weights = [Double](repeating: 0, count: graph.arcCount)
        for arc in 0..<graph.arcCount {
            if respectCargo, let acceptance = graph.acceptance[arc], !acceptance.accepts(query.cargo) {
                weights[arc] = .infinity
            } else if let allowedModes, let mode = graph.arcMode[arc], !allowedModes.contains(mode) {
                weights[arc] = .infinity
            } else {
                weights[arc] = max(0, query.weight(graph.attributes[arc], objective: objective))
            }
        }
        if let deadlineHours, deadlineHours.isFinite {
            let bounds = timeBounds(usable: weights)
            pruneArcs(&weights, bounds: bounds, deadlineHours: deadlineHours)
        }
        var search = KShortestPaths(nodeCount: graph.nodeCount, tails: graph.tails, heads: graph.heads,
                                    outgoing: graph.outgoing, weights: weights)
        search.nodeGroups = placeOfNode
        return search
    }

    /// A small integer per place, for each node (for place-simple spur searches).
    package static func placeGroups(of graph: ModeGraph) -> [Int] {
        var index: [PlaceCode: Int] = [:]
        return graph.nodePlace.map { code in
            if let i = index[code] { return i }
            index[code] = index.count
            return index.count - 1
        }
    }

    /// Fewest hours from the source to each node and from each node to the sink, over arcs
    /// with a finite weight in `usable`.
    /// - Complexity: two Dijkstra searches, O((n + m) log n).
    package func timeBounds(usable: [Double]) -> (fromSource: [Double], toSink: [Double]) {
        let hours = graph.attributes.map(\.hours)
        func dijkstra(from start: Int, forward: Bool) -> [Double] {
            var distance = [Double](repeating: .infinity, count: graph.nodeCount)
            var heap = Heap<HoursEntry>()
            distance[start] = 0
            heap.insert(HoursEntry(hours: 0, node: start))
            while let entry = heap.popMin() {
                guard entry.hours <= distance[entry.node] else { continue }
                for arc in forward ? graph.outgoing[entry.node] : graph.incoming[entry.node] where usable[arc].isFinite {
                    let next = forward ? graph.heads[arc] : graph.tails[arc]
                    let candidate = entry.hours + hours[arc]
                    if candidate < distance[next] {
                        distance[next] = candidate
                        heap.insert(HoursEntry(hours: candidate, node: next))
                    }
                }
            }
            return distance
        }
        return (dijkstra(from: source, forward: true), dijkstra(from: sink, forward: false))
    }

    /// Removes arcs that lie on no path within `deadlineHours`: a path through arc (u, v) takes
    /// at least fromSource(u) + hours + toSink(v). No path that meets the deadline is lost.
    package func pruneArcs(_ weights: inout [Double], bounds: (fromSource: [Double], toSink: [Double]), deadlineHours: Double) {
        for arc in 0..<graph.arcCount where weights[arc].isFinite {
            let fastest = bounds.fromSource[graph.tails[arc]] + graph.attributes[arc].hours + bounds.toSink[graph.heads[arc]]
            if fastest > deadlineHours + 1e-9 { weights[arc] = .infinity }
        }
    }

    private struct HoursEntry: Comparable {
        var hours: Double
        var node: Int
        static func < (a: HoursEntry, b: HoursEntry) -> Bool { (a.hours, a.node) < (b.hours, b.node) }
    }

    /// Whether the path passes each place once (consecutive nodes of one place count once).
    package func visitsEachPlaceOnce(_ path: WeightedPath) -> Bool {
        var seen: Set<PlaceCode> = [graph.nodePlace[source]]
        var current = graph.nodePlace[source]
        for arc in path.arcs {
            let place = graph.nodePlace[graph.heads[arc]]
            if place != current {
                guard seen.insert(place).inserted else { return false }
                current = place
            }
        }
        return true
    }

    /// Turns a path into legs with waits, dwell, costs and CO2 for the query's volume.
    package func route(of path: WeightedPath, query: RouteQuery) -> Route {
        let network = graph.network
        let tonnesPerTEU = network.defaults.tonnesPerTEU
        var legs: [RouteLeg] = []
        var clock = 0.0
        var cost = 0.0, hours = 0.0, co2 = 0.0
        func price(_ a: ArcAttributes) -> Double { a.costUSDPerTEU * query.teu + a.costUSDPerTonne * query.tonnes }

        func accessLeg(_ kind: String, terminal: Place, from: PlaceCode, to: PlaceCode) -> RouteLeg {
            let access = terminal.cityAccess!
            return RouteLeg(
                mode: .road, service: "\(kind):\(terminal.code)",
                serviceName: kind == "firstMile" ? "First mile to \(terminal.name)" : "Last mile from \(terminal.name)",
                operator: nil, corridor: nil, from: from, to: to, distanceKm: access.distanceKm, waitHours: 0,
                transitHours: access.hours, dwellHours: 0, costUSD: access.costUSDPerTEU * query.teu, handlingUSD: 0,
                co2eKg: access.distanceKm * network.defaults.accessCO2eGramsPerTonneKm / 1000 * query.tonnes,
                departureHour: clock, arrivalHour: clock + access.hours, transfer: nil,
                capacityTEUPerDeparture: nil, departuresPerWeek: nil)
        }

        for arc in path.arcs {
            let a = graph.attributes[arc]
            cost += price(a)
            hours += a.hours
            co2 += a.co2eKgPerTonne * query.tonnes
            switch graph.roles[arc] {
            case .origin(let origin, let via):
                if let via, let terminal = network.place(via) {
                    var leg = accessLeg("firstMile", terminal: terminal, from: origin, to: via)
                    let handlingUSD = price(a) - leg.costUSD
                    leg.dwellHours = a.dwellHours
                    leg.handlingUSD = handlingUSD
                    let nextMode = graph.roles.indices.contains(arc) ? modeLeaving(arc) : .road
                    leg.transfer = TransferEvent(kind: nextMode == .road ? .connection : .modeChange, place: via,
                                                 isBorderCrossing: terminal.kind == .borderCrossing,
                                                 hours: a.dwellHours, costUSD: handlingUSD, gaugesMm: nil)
                    clock += a.hours
                    legs.append(leg)
                } else {
                    clock += a.hours
                }
            case .service(let id):
                guard let service = network.service(id) else { continue }
                // Nominal TEU-equivalents per departure, as the plan's service usage reports them.
                let capacity = service.capacity.teuPerDeparture(tonnesPerTEU: tonnesPerTEU)
                legs.append(RouteLeg(
                    mode: service.mode, service: id.rawValue, serviceName: service.name, operator: service.operator,
                    corridor: service.corridor, from: service.from, to: service.to, distanceKm: service.distanceKm,
                    waitHours: a.waitHours, transitHours: a.transitHours, dwellHours: 0, costUSD: price(a),
                    handlingUSD: 0, co2eKg: a.co2eKgPerTonne * query.tonnes, departureHour: clock + a.waitHours,
                    arrivalHour: clock + a.waitHours + a.transitHours, transfer: nil,
                    capacityTEUPerDeparture: capacity, departuresPerWeek: service.departuresPerWeek))
                clock += a.hours
            case .transfer(let at, let inMode, let outMode):
                let place = network.place(at)
                let kind: TransferEvent.Kind
                if inMode != outMode { kind = .modeChange }
                else if inMode == .rail, place?.gaugeChange != nil { kind = .gaugeChange }
                else { kind = .connection }
                if !legs.isEmpty {
                    legs[legs.count - 1].dwellHours += a.dwellHours
                    legs[legs.count - 1].handlingUSD += price(a)
                    legs[legs.count - 1].transfer = TransferEvent(
                        kind: kind, place: at, isBorderCrossing: place?.kind == .borderCrossing,
                        hours: a.dwellHours, costUSD: price(a),
                        gaugesMm: kind == .gaugeChange ? place?.gaugeChange?.gaugesMm : nil)
                }
                clock += a.hours
            case .destination(let destination, let via):
                if !legs.isEmpty {
                    legs[legs.count - 1].dwellHours += a.dwellHours
                    if let via, let terminal = network.place(via) {
                        let accessCost = terminal.cityAccess.map { $0.costUSDPerTEU * query.teu } ?? 0
                        legs[legs.count - 1].handlingUSD += price(a) - accessCost
                    }
                }
                clock += a.dwellHours
                if let via, let terminal = network.place(via) {
                    legs.append(accessLeg("lastMile", terminal: terminal, from: via, to: destination))
                    clock += a.transitHours
                }
            }
        }
        return Route(legs: legs, costUSD: cost, transitHours: hours, co2eKg: co2, objectiveValue: path.weight,
                     arcs: path.arcs)
    }

    /// The mode of the departure node an origin arc leads to.
    private func modeLeaving(_ arc: Int) -> TransportMode {
        let head = graph.heads[arc]
        let place = graph.nodePlace[head]
        return graph.departNode[place]?.first { $0.value == head }?.key ?? .road
    }
}
