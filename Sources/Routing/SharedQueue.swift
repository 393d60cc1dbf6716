import NetworkData

/// The expected queueing wait at a capacity-limited place whose capacity other traffic shares
/// (``BackgroundTraffic``): an M/D/1 queue, vehicles arriving at random (Poisson) and each
/// served in the fixed slot `24 / throughput.unitsPerDay` hours.
///
/// Utilisation ρ = (background vehicles a day + our nominal vehicles a day) / unitsPerDay, where
/// our nominal vehicles a day are the timetabled departures of the rail and inland-water
/// services that end at the place (departures a week / 7, each counted as
/// `capacityTEUPerDeparture / teuPerUnit` units when the throughput has `teuPerUnit`, as the
/// simulator's queue counts a vehicle). The mean wait in the queue is the Pollaczek–Khinchine
/// formula for deterministic service, W = ρ · slot / (2 (1 − ρ)), with ρ capped at 0.95 (at
/// and beyond saturation the formula has no finite mean; the simulator shows the queue then).
///
/// Places without background traffic get no queueing term: their `dwell` is the whole
/// estimate, as before.
package enum SharedQueue {
    /// Highest utilisation the formula is evaluated at.
    package static let maximumUtilisation = 0.95

    /// Our nominal vehicles a day into `place`, in its throughput's units.
    /// - Complexity: O(services).
    package static func ownVehiclesPerDay(at place: Place, in network: Network) -> Double {
        guard let throughput = place.throughput else { return 0 }
        var units = 0.0
        for service in network.services where service.to == place.code && (service.mode == .rail || service.mode == .inlandWater) {
            let perDay = service.departuresPerWeek / 7
            if let unit = throughput.teuPerUnit, let teu = service.capacityTEUPerDeparture {
                units += perDay * min(1, teu / unit)
            } else {
                units += perDay
            }
        }
        return units
    }

    /// Utilisation of `place` in `month` (nil: the yearly mean), capped at ``maximumUtilisation``;
    /// 0 for a place without throughput or background traffic.
    package static func utilisation(at place: Place, in network: Network, month: Int? = nil, ownVehiclesPerDay: Double? = nil) -> Double {
        guard let throughput = place.throughput, let background = place.backgroundTraffic, throughput.unitsPerDay > 0 else { return 0 }
        let own = ownVehiclesPerDay ?? Self.ownVehiclesPerDay(at: place, in: network)
        return min(maximumUtilisation, (background.vehiclesPerDay(inMonth: month) + own) / throughput.unitsPerDay)
    }

    /// Expected hours a vehicle waits for its slot at `place` (M/D/1 mean wait in queue).
    /// - Complexity: O(services) unless `ownVehiclesPerDay` is given.
    package static func expectedWaitHours(at place: Place, in network: Network, month: Int? = nil, ownVehiclesPerDay: Double? = nil) -> Double {
        guard let throughput = place.throughput, place.backgroundTraffic != nil else { return 0 }
        let rho = utilisation(at: place, in: network, month: month, ownVehiclesPerDay: ownVehiclesPerDay)
        let slot = 24 / throughput.unitsPerDay
        return rho * slot / (2 * (1 - rho))
    }
}
