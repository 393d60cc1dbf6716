import GLPKSolver
import MinCostFlow
import Routing
import NetworkData

/// Whether a shipment is fully, partly or not at all planned.
public enum ShipmentStatus: String, Sendable, Codable {
    case planned, partial, unmet
}

/// Part of a shipment on one route, leaving in one week.
public struct PlannedRoute: Sendable {
    /// The route, with costs and CO2 for `teu`.
    public var route: Route
    public var teu: Double
    /// Week of departure, 0 = the plan's first week.
    public var week: Int
    /// Day the route starts (the later of the shipment's ready day and the week's first day).
    public var startDay: CalendarDay
    /// ETD of the first leg and ETA at the destination, ISO 8601.
    public var departure: String
    public var arrival: String

    public init(route: Route, teu: Double, week: Int, startDay: CalendarDay, departure: String, arrival: String) {
        self.route = route
        self.teu = teu
        self.week = week
        self.startDay = startDay
        self.departure = departure
        self.arrival = arrival
    }
}

/// The plan for one shipment.
public struct ShipmentPlan: Sendable {
    public var shipment: Shipment
    public var status: ShipmentStatus
    /// Why a shipment is partial or unmet: capacity (full services), deadline, cargo, no route.
    public var reason: String?
    public var routes: [PlannedRoute]
    public var unmetTEU: Double
    public var costUSD: Double
    public var co2eKg: Double

    public init(shipment: Shipment, status: ShipmentStatus, reason: String?, routes: [PlannedRoute], unmetTEU: Double,
                costUSD: Double, co2eKg: Double) {
        self.shipment = shipment
        self.status = status
        self.reason = reason
        self.routes = routes
        self.unmetTEU = unmetTEU
        self.costUSD = costUSD
        self.co2eKg = co2eKg
    }
}

/// A service's use in the plan: weekly capacity, the most used week, and the capacity dual.
public struct ServiceUsage: Sendable {
    public var service: ServiceID
    /// TEU per week the service offers (nominal; seasonal factors apply per week).
    public var capacityTEU: Double
    /// TEU used in the busiest week.
    public var usedTEU: Double
    /// Objective saved by one more TEU of capacity in every week of the horizon (sum of the
    /// weekly capacity duals, sign flipped).
    public var dualUSDPerTEU: Double
    /// Per week: capacity, use and dual.
    public var weeks: [(week: Int, capacityTEU: Double, usedTEU: Double, dualUSDPerTEU: Double)]
    /// Whole departures needed per week (integer plans only).
    public var departuresNeeded: [Int]?
}

/// A plan for a batch of shipments sharing weekly service capacities.
public struct Plan: Sendable {
    public var shipments: [ShipmentPlan]
    public var services: [ServiceUsage]
    public var totalCostUSD: Double
    public var objective: Objective
    /// First day of week 0.
    public var horizonStart: CalendarDay
    public var weeks: Int
    /// Column-generation iterations (master LP solves).
    public var iterations: Int
    /// For integer plans: the LP relaxation bound of the same model.
    public var lowerBound: Double?
    public var isInteger: Bool
    /// For integer plans: the plan's objective, its bound and gap, and the time to find it.
    public var integerSearch: IntegerPlanSearch? = nil
}
