/// Network-wide defaults and conversions.
public struct NetworkDefaults: Hashable, Sendable {
    /// Mode change at a place that sets no `handling` of its own.
    public var handling: Handling
    /// Same-mode change of service at a place (re-marshalling, re-booking).
    public var connectionHours: Double
    /// Average cargo mass of a loaded TEU.
    public var tonnesPerTEU: Double
    /// Emission intensity of first/last-mile road legs to and from city terminals.
    public var accessCO2eGramsPerTonneKm: Double
    public init(handling: Handling, connectionHours: Double, tonnesPerTEU: Double, accessCO2eGramsPerTonneKm: Double = 80) {
        self.handling = handling
        self.connectionHours = connectionHours
        self.tonnesPerTEU = tonnesPerTEU
        self.accessCO2eGramsPerTonneKm = accessCO2eGramsPerTonneKm
    }
}

/// A validated network: places, services, defaults, the hub and targets, with lookups by code and id.
public struct Network: Sendable {
    public var name: String
    public var description: String
    public var defaults: NetworkDefaults
    public private(set) var places: [Place]
    public private(set) var services: [Service]
    public var targets: [Target]
    /// The hub the simulator's hub KPIs count from; nil when the network names none.
    public var hub: Hub?
    /// The files the network was read from, manifest first.
    public var files: [String]
    private var placeIndex: [PlaceCode: Int]
    private var serviceIndex: [ServiceID: Int]

    /// Makes a network from validated parts; codes and ids must be unique.
    public init(
        name: String, description: String, defaults: NetworkDefaults, places: [Place],
        services: [Service], targets: [Target], hub: Hub? = nil, files: [String]
    ) {
        self.name = name
        self.description = description
        self.defaults = defaults
        self.places = places
        self.services = services
        self.targets = targets
        self.hub = hub
        self.files = files
        placeIndex = Dictionary(places.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
        serviceIndex = Dictionary(services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The place with `code`, if any.
    public func place(_ code: PlaceCode) -> Place? { placeIndex[code].map { places[$0] } }

    /// The service with `id`, if any.
    public func service(_ id: ServiceID) -> Service? { serviceIndex[id].map { services[$0] } }

    /// The terminals of a city zone (places whose `city` is `code`).
    /// - Complexity: O(p) for p places.
    public func terminals(ofCity code: PlaceCode) -> [Place] { places.filter { $0.city == code } }

    /// The hub's places: its cities and every terminal of them; empty without a hub.
    /// - Complexity: O(p) for p places.
    public func hubPlaces() -> Set<PlaceCode> {
        guard let hub else { return [] }
        let cities = Set(hub.cities)
        return Set(places.filter { cities.contains($0.code) || $0.city.map(cities.contains) == true }.map(\.code))
    }

    /// Handling at a place, or the network default.
    public func handling(at code: PlaceCode) -> Handling {
        place(code)?.handling ?? defaults.handling
    }

    /// Replaces the services (for scenario edits); ids must stay unique.
    public mutating func replaceServices(_ newServices: [Service]) {
        services = newServices
        serviceIndex = Dictionary(newServices.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
