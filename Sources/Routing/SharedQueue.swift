import NetworkData

/// The expected queueing wait at a capacity-limited place whose capacity other traffic shares
/// (``BackgroundTraffic``): an M/D/1 queue, vehicles arriving at random (Poisson) and each
/// served in the fixed slot `24 / throughput.unitsPerDay` hours.
///
/// Utilisation ρ = (background vehicles a day in the month + `ownVehiclesPerDay`) / unitsPerDay,
/// capped at 0.95; the mean wait in the queue is the Pollaczek–Khinchine formula for a fixed
/// service time, W = ρ · slot / (2 (1 − ρ)). Routes pass `ownVehiclesPerDay` = 0: the estimate is
/// the wait one more train of ours meets from the traffic that is not ours. Our own timetable is
/// no measure of our load (the built-in network offers 18.7 of our trains a day into
/// Alashankou, against ~4.7 a day that Chengdu and Chongqing send
/// through it by the split in its `backgroundTraffic` source (22.4 % of 21 a day in 2024)), so
/// counting it would put every shared border at the cap; the simulator queues our actual trains.
/// The cap keeps the estimate finite at saturation, where the formula has no mean.
///
/// Places without background traffic get no queueing term: their `dwell` is the whole
/// estimate, as before.
package enum SharedQueue {
    /// Highest utilisation the formula is evaluated at.
    package static let maximumUtilisation = 0.95

    /// Utilisation of `place` in `month` (nil: the yearly mean), capped at ``maximumUtilisation``;
    /// 0 for a place without throughput or background traffic.
    package static func utilisation(at place: Place, month: Int? = nil, ownVehiclesPerDay: Double = 0) -> Double {
        guard let throughput = place.throughput, let background = place.backgroundTraffic, throughput.unitsPerDay > 0 else { return 0 }
        return min(maximumUtilisation, (background.vehiclesPerDay(inMonth: month) + ownVehiclesPerDay) / throughput.unitsPerDay)
    }

    /// Expected hours a vehicle waits for its slot at `place` (M/D/1 mean wait in queue, to
    /// 0.01 h); 0 without background traffic.
    package static func expectedWaitHours(at place: Place, month: Int? = nil, ownVehiclesPerDay: Double = 0) -> Double {
        guard let throughput = place.throughput, place.backgroundTraffic != nil else { return 0 }
        let rho = utilisation(at: place, month: month, ownVehiclesPerDay: ownVehiclesPerDay)
        let slot = 24 / throughput.unitsPerDay
        // To 0.01 h, as route hours are reported: decimal hours keep the volume split's costs
        // scalable to integers for the network simplex (an unrounded wait sends it to GLPK).
        return (rho * slot / (2 * (1 - rho)) * 100).rounded() / 100
    }
}
