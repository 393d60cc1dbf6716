import Foundation

/// Corridor-shaped, time-expanded freight networks: hubs strung along a corridor (west to east,
/// `corridorKm` long), four modes, `weeks` weekly layers.
///
/// Nodes: one per (hub, mode, week) for the modes that serve the hub (road serves every hub,
/// rail 60 %, barge 70 % of the western half (the river), sea 20 %), numbered hub by hub, mode by
/// mode, week by week. Arcs:
/// - services: each (hub, mode) has lanes to random hubs of the same mode within the mode's span,
///   run every week; a departure in week w arrives in week w + transit (≥ 1, from the distance
///   and the mode's speed). Capacity per departure in TEU (rail: 1–3 trains of 100 TEU; barge
///   100–300; sea 500–3,000; road uncapacitated), cost in USD/TEU from a fixed part, a rate per
///   km and ±10 % seasonality;
/// - transfers between every two modes of a hub in the same week (handling, uncapacitated);
/// - holding from week w to w + 1 (storage, uncapacitated).
///
/// Demand: the westernmost 10 % of the hubs send shipments in the first quarter of the weeks to
/// the easternmost 10 %, due in the last quarter (supply at the origin's road node, demand at the
/// destination's road node). Feasibility: every shipment has a road route (the skeleton:
/// jumps to the farthest hub within road range) that arrives in time, and road is uncapacitated.
/// Minimum loads: for 30 % of the shipments, one hop of the skeleton is also run as a contracted
/// block train whose departure gets a lower bound (10–60 TEU, summed over the shipments that
/// share it); the shipment can send that much over it and still arrive in time, so lower bounds
/// never make the instance infeasible. "Uncapacitated" is the total supply.
struct CorridorParameters {
    /// Hubs are added until the node count reaches this.
    var nodes: Int
    var weeks = 52
    var corridorKm = 10_000.0
    var lateralKm = 300.0
    var originPercent = 10
    var shippingWeeks = 13
    var shipmentPercent = 70
    var shipmentTEU = 20...400
    var minimumLoadPercent = 30
    var minimumLoadTEU = 10...60

    init(nodes: Int) { self.nodes = nodes }
}

enum Corridor {
    enum Mode: Int, CaseIterable {
        case road, rail, barge, sea
    }

    struct Profile: Sendable {
        var speedKmPerWeek: Double
        var fixedUSDPerTEU: Double
        var usdPerTEUKm: Double
        /// Units per departure (nil = uncapacitated) and TEU per unit: rail runs 1–3 trains of 100 TEU.
        var units: ClosedRange<Int>?
        var teuPerUnit = 1
        var lanesPerHub: Int
        var spanKm: Double
        var handlingUSDPerTEU: Int
    }

    static let profiles: [Profile] = [
        Profile(speedKmPerWeek: 3000, fixedUSDPerTEU: 150, usdPerTEUKm: 1.8, units: nil,
                lanesPerHub: 6, spanKm: 1250, handlingUSDPerTEU: 20),
        Profile(speedKmPerWeek: 4500, fixedUSDPerTEU: 300, usdPerTEUKm: 0.55, units: 1...3, teuPerUnit: 100,
                lanesPerHub: 6, spanKm: 2500, handlingUSDPerTEU: 60),
        Profile(speedKmPerWeek: 1200, fixedUSDPerTEU: 120, usdPerTEUKm: 0.3, units: 100...300,
                lanesPerHub: 4, spanKm: 1500, handlingUSDPerTEU: 45),
        Profile(speedKmPerWeek: 3500, fixedUSDPerTEU: 250, usdPerTEUKm: 0.12, units: 500...3000,
                lanesPerHub: 4, spanKm: 5000, handlingUSDPerTEU: 80),
    ]

    struct Hub {
        var xKm: Double
        var yKm: Double
        var modes: [Bool]
        var holdingUSDPerTEUWeek: Int
        var handlingUSDPerTEU: Int
    }

    struct Lane {
        var mode: Mode
        var from: Int
        var to: Int
        var transitWeeks: Int
        var costUSDPerTEU: Double
        var phase: Double
    }

    struct Shipment {
        var origin: Int
        var week: Int
        var destination: Int
        var dueWeek: Int
        var teu: Int
    }

    /// - Complexity: O(n + m + H log H) for H hubs.
    static func generate(_ p: CorridorParameters, seed: UInt64) -> FlowInstance {
        var random = SplitMix64(seed: seed)

        // Hubs, until the (hub, mode, week) nodes reach the target; then sorted west to east.
        var hubs: [Hub] = []
        var nodeCount = 0
        while nodeCount < p.nodes {
            let x = random.unit() * p.corridorKm
            let modes = [true, random.chance(60), x < p.corridorKm / 2 && random.chance(70), random.chance(20)]
            hubs.append(Hub(xKm: x, yKm: (random.unit() * 2 - 1) * p.lateralKm, modes: modes,
                            holdingUSDPerTEUWeek: random.int(in: 8...25), handlingUSDPerTEU: random.int(in: 20...60)))
            nodeCount += modes.filter { $0 }.count * p.weeks
        }
        hubs.sort { $0.xKm < $1.xKm }
        let xs = hubs.map(\.xKm)

        func distanceKm(_ a: Int, _ b: Int) -> Double {
            let dx = hubs[a].xKm - hubs[b].xKm, dy = hubs[a].yKm - hubs[b].yKm
            return 1.2 * (dx * dx + dy * dy).squareRoot()
        }
        /// First hub index whose x is above `x`.
        func upperBound(_ x: Double) -> Int {
            var low = 0, high = xs.count
            while low < high {
                let mid = (low + high) / 2
                if xs[mid] <= x { low = mid + 1 } else { high = mid }
            }
            return low
        }

        var lanes: [Lane] = []
        var laneIndex: [Int: Int] = [:]
        func lane(_ mode: Mode, _ from: Int, _ to: Int) -> Int {
            let key = (mode.rawValue * hubs.count + from) * hubs.count + to
            if let index = laneIndex[key] { return index }
            let profile = profiles[mode.rawValue]
            let km = distanceKm(from, to)
            let factor = 0.85 + 0.3 * random.unit()
            lanes.append(Lane(mode: mode, from: from, to: to,
                              transitWeeks: max(1, Int((km / profile.speedKmPerWeek).rounded(.up))),
                              costUSDPerTEU: (profile.fixedUSDPerTEU + profile.usdPerTEUKm * km) * factor,
                              phase: random.unit() * Double(p.weeks)))
            laneIndex[key] = lanes.count - 1
            return lanes.count - 1
        }

        // Random lanes: for each hub and mode it has, lanes to hubs of the same mode within reach.
        for (h, hub) in hubs.enumerated() {
            for mode in Mode.allCases where hub.modes[mode.rawValue] {
                let profile = profiles[mode.rawValue]
                let low = upperBound(hub.xKm - profile.spanKm - 1e-9)
                let high = upperBound(hub.xKm + profile.spanKm)
                var made = 0
                for _ in 0..<(4 * profile.lanesPerHub) where made < profile.lanesPerHub {
                    let to = low + random.index(high - low)
                    guard to != h, hubs[to].modes[mode.rawValue] else { continue }
                    _ = lane(mode, h, to)
                    made += 1
                }
            }
        }

        // Shipments and their skeleton routes.
        let ends = max(2, hubs.count * p.originPercent / 100)
        precondition(2 * ends <= hubs.count, "too few hubs")
        let destinations = (hubs.count - ends)..<hubs.count
        var shipments: [Shipment] = []
        var minimumLoad: [Int: Int] = [:]   // lane · weeks + departure week → TEU
        var dropped = 0
        let roadSpan = profiles[Mode.road.rawValue].spanKm
        for origin in 0..<ends {
            for week in 0..<p.shippingWeeks where random.chance(p.shipmentPercent) {
                let shipment = Shipment(origin: origin, week: week,
                                        destination: destinations.lowerBound + random.index(ends),
                                        dueWeek: p.weeks - p.shippingWeeks + random.index(p.shippingWeeks),
                                        teu: random.int(in: p.shipmentTEU))
                // Road skeleton: jump to the farthest hub within road range, never past the destination.
                var hops: [(from: Int, to: Int, departs: Int)] = []
                var at = origin, time = week
                while at != shipment.destination {
                    var next = min(shipment.destination, upperBound(hubs[at].xKm + roadSpan) - 1)
                    if next <= at { next = at + 1 }
                    hops.append((at, next, time))
                    time += lanes[lane(.road, at, next)].transitWeeks
                    at = next
                }
                guard time <= shipment.dueWeek else { dropped += 1; continue }
                shipments.append(shipment)
                // A contracted block train on one hop, with a minimum load this shipment can fill.
                guard random.chance(p.minimumLoadPercent) else { continue }
                let k = random.index(hops.count)
                let rail = lane(.rail, hops[k].from, hops[k].to)
                var arrival = hops[k].departs + lanes[rail].transitWeeks
                for later in hops[(k + 1)...] {
                    arrival += lanes[lane(.road, later.from, later.to)].transitWeeks
                }
                guard arrival <= shipment.dueWeek else { continue }
                hubs[hops[k].from].modes[Mode.rail.rawValue] = true
                hubs[hops[k].to].modes[Mode.rail.rawValue] = true
                let teu = min(shipment.teu, random.int(in: p.minimumLoadTEU))
                minimumLoad[rail * p.weeks + hops[k].departs, default: 0] += teu
            }
        }

        // Nodes: hub by hub, mode by mode, week by week.
        var base = Array(repeating: [Int](repeating: -1, count: Mode.allCases.count), count: hubs.count)
        var next = 0
        for h in hubs.indices {
            for mode in Mode.allCases where hubs[h].modes[mode.rawValue] {
                base[h][mode.rawValue] = next
                next += p.weeks
            }
        }
        func node(_ hub: Int, _ mode: Mode, _ week: Int) -> Int { base[hub][mode.rawValue] + week }

        var instance = FlowInstance(nodeCount: next, reservingArcs: 9 * next)
        for s in shipments {
            instance.supply[node(s.origin, .road, s.week)] += s.teu
            instance.supply[node(s.destination, .road, s.dueWeek)] -= s.teu
        }
        let total = shipments.reduce(0) { $0 + $1.teu }

        // Services.
        var lowerBounded = 0
        for (index, lane) in lanes.enumerated() {
            let profile = profiles[lane.mode.rawValue]
            for week in 0..<max(0, p.weeks - lane.transitWeeks) {
                let season = 1 + 0.1 * sin(2 * Double.pi * (Double(week) + lane.phase) / Double(p.weeks))
                let low = minimumLoad[index * p.weeks + week] ?? 0
                let capacity = max(profile.units.map { random.int(in: $0) * profile.teuPerUnit } ?? total, low)
                if low > 0 { lowerBounded += 1 }
                instance.addArc(node(lane.from, lane.mode, week), node(lane.to, lane.mode, week + lane.transitWeeks),
                                lower: low, capacity: capacity, cost: Int((lane.costUSDPerTEU * season).rounded()))
            }
        }
        // Transfers and holding.
        for (h, hub) in hubs.enumerated() {
            let modes = Mode.allCases.filter { hub.modes[$0.rawValue] }
            for week in 0..<p.weeks {
                for from in modes {
                    for to in modes where to != from {
                        instance.addArc(node(h, from, week), node(h, to, week), capacity: total,
                                        cost: hub.handlingUSDPerTEU + profiles[to.rawValue].handlingUSDPerTEU)
                    }
                }
            }
            for mode in modes {
                for week in 0..<(p.weeks - 1) {
                    instance.addArc(node(h, mode, week), node(h, mode, week + 1), capacity: total,
                                    cost: hub.holdingUSDPerTEUWeek)
                }
            }
        }
        let laneCounts = Mode.allCases.map { mode in lanes.filter { $0.mode == mode }.count }
        instance.comments = [
            "corridor time-expanded network (bench FlowInstances corridor), seed \(seed)",
            "\(hubs.count) hubs over \(Int(p.corridorKm)) km, \(p.weeks) weeks, modes road/rail/barge/sea; "
                + "lanes \(laneCounts.map(String.init).joined(separator: "/"))",
            "\(shipments.count) shipments (\(dropped) dropped: no road route in time), \(total) TEU; "
                + "\(lowerBounded) departures with a minimum load; costs USD/TEU, capacities TEU per departure",
        ]
        return instance
    }
}
