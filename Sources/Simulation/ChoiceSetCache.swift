import Foundation
import Routing

/// The router's candidate routes of each lane, shared by the runs of one network. A headroom search
/// runs the same network dozens of times with other demand factors and seeds; the candidates
/// depend only on the network, the lane's origin, destination, cargo and density, and the
/// options' alternatives and gateways per family, so each is searched once.
final class ChoiceSetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [String: [Route]] = [:]

    /// The candidates stored under `key`, if any.
    func routes(for key: String) -> [Route]? { lock.withLock { found[key] } }

    func store(_ routes: [Route], for key: String) { lock.withLock { found[key] = routes } }
}
