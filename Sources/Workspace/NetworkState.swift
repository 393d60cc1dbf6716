import Foundation
import NetworkData
import Routing

/// The network the server answers on, with what every request reuses: the place directory,
/// the GeoJSON export, and one router per month (built on first use).
final class NetworkState: @unchecked Sendable {
    let network: Network
    let places: PlaceDirectory
    let geoJSON: Data
    private let lock = NSLock()
    private var routers: [Int: Router] = [:]

    /// - Complexity: O(p + s) for p places and s services, plus the first router.
    init(network: Network) throws {
        self.network = network
        places = PlaceDirectory(network: network)
        geoJSON = try GeoJSONExport.json(of: network)
        routers[0] = Router(network: network)
    }

    /// The router for `month` (1–12; nil: no season), built once.
    func router(month: Int?) -> Router {
        let key = month ?? 0
        if let router = lock.withLock({ routers[key] }) { return router }
        let router = Router(network: network, month: month)
        lock.withLock { routers[key] = router }
        return router
    }
}
