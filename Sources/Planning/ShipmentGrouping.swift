import Routing
import NetworkData

/// How the planner prices one shipment: per TEU, at its cargo's tonnes per TEU and value of
/// time. The batch planner and its arc-based LP group shipments by these keys.
struct ShipmentProfile {
    /// Shipments alike up to the destination: one origin, cargo class and tonnes-per-TEU ratio,
    /// and (for `balanced`, where it weighs arcs) one value of time.
    struct Commodity: Hashable {
        var origin: PlaceCode
        var cargo: CargoClass
        var tonnesPerTEU: Double
        /// The value of time in milli-USD per TEU-hour, rounded; nil unless the objective is `balanced`.
        var valueOfTimeMilliUSD: Double?
    }

    /// Shipments that share a query graph and its arc weights: a commodity to one destination.
    struct GraphKey: Hashable {
        var commodity: Commodity
        var destination: PlaceCode
    }

    /// Shipments that share a demand row: one graph, ready day, deadline and value of time.
    struct GroupKey: Hashable {
        var graph: GraphKey
        var ready: CalendarDay
        var deadline: CalendarDay
        var valueOfTimeMilliUSD: Double
    }

    /// Tonnes per TEU rounded to 0.01, so ratios that round alike share graphs and rows.
    let tonnesPerTEU: Double
    /// USD per TEU-hour: the option, else 10 % a year of the shipment's value, else 5.
    let valueOfTimeUSDPerTEUHour: Double
    /// The per-TEU query: 1 TEU of `tonnesPerTEU` tonnes to the shipment's destination.
    let query: RouteQuery
    let graph: GraphKey
    let group: GroupKey

    init(_ shipment: Shipment, options: PlanOptions) {
        tonnesPerTEU = (shipment.tonnes / shipment.teu * 100).rounded() / 100
        valueOfTimeUSDPerTEUHour = options.valueOfTimeUSDPerTEUHour
            ?? shipment.valueUSD.map { $0 / shipment.teu * 0.10 / 8760 } ?? 5
        let valueOfTimeMilliUSD = (valueOfTimeUSDPerTEUHour * 1000).rounded()
        query = RouteQuery(origin: shipment.origin, destination: shipment.destination, teu: 1, tonnes: tonnesPerTEU,
                           cargo: shipment.cargo, objective: options.objective,
                           valueOfTimeUSDPerTEUHour: valueOfTimeUSDPerTEUHour,
                           carbonPriceUSDPerTonne: options.effectiveCarbonPriceUSDPerTonne)
        let commodity = Commodity(origin: shipment.origin, cargo: shipment.cargo, tonnesPerTEU: tonnesPerTEU,
                                  valueOfTimeMilliUSD: options.objective == .balanced ? valueOfTimeMilliUSD : nil)
        graph = GraphKey(commodity: commodity, destination: shipment.destination)
        group = GroupKey(graph: graph, ready: shipment.ready, deadline: shipment.deadline,
                         valueOfTimeMilliUSD: valueOfTimeMilliUSD)
    }
}

extension PlanOptions {
    /// USD per tonne CO2e the planner charges: the option, else 100 for `balanced` and 0 otherwise.
    var effectiveCarbonPriceUSDPerTonne: Double {
        carbonPriceUSDPerTonne ?? (objective == .balanced ? 100 : 0)
    }

    /// The planner's per-TEU weight of every arc of `graph` (built for a per-TEU query of
    /// `tonnesPerTEU` tonnes): the query's weight for the objective, plus, for `cost`, the carbon
    /// price on the arc's CO2e. Infinite: the arc refuses the cargo.
    /// - Complexity: O(m) for m arcs.
    func arcWeights(_ graph: QueryGraph, tonnesPerTEU: Double) -> [Double] {
        let raw = graph.search(objective: objective, respectCargo: true).weights
        let carbonPrice = effectiveCarbonPriceUSDPerTonne
        guard objective == .cost, carbonPrice > 0 else { return raw }
        return raw.indices.map { arc in
            guard raw[arc].isFinite else { return raw[arc] }
            return raw[arc] + carbonPrice * graph.graph.attributes[arc].co2eKgPerTonne * tonnesPerTEU / 1000
        }
    }

    /// The weight ``arcWeights(_:tonnesPerTEU:)`` gives an endpoint arc (first or last mile,
    /// which accept every cargo) of a per-TEU query graph for `query`.
    func endpointWeight(_ attributes: ArcAttributes, query: RouteQuery) -> Double {
        let raw = max(0, query.weight(attributes, objective: objective))
        let carbonPrice = effectiveCarbonPriceUSDPerTonne
        guard objective == .cost, carbonPrice > 0 else { return raw }
        return raw + carbonPrice * attributes.co2eKgPerTonne * query.tonnes / 1000
    }
}
