/// The hub whose traffic the simulator's hub KPIs count: its cities (with their terminals), its
/// airport and the timed journey a target names (Chongqing: Chengdu and Chongqing, CKG,
/// hub → Thailand through Laos).
public struct Hub: Hashable, Sendable {
    public var name: String
    /// City places; each one and every terminal whose `city` it is count as hub places.
    public var cities: [PlaceCode]
    /// The airport whose international routes are counted, if any.
    public var airport: PlaceCode?
    /// The journey whose mean door-to-door days is measured, if any.
    public var timedJourney: TimedJourney?
    /// When an international route from `airport` counts as operating (docs/targets.md), if given.
    public var airRoutes: AirRouteRule?
    /// How many through bills a multimodal consignment yields, if given.
    public var oneBill: OneBillRule?
    public var source: String
    public var location: SourceLocation
    /// Lines of individual fields (`cities`, `airport`) for messages about them.
    public var fieldLines: [String: Int] = [:]

    public init(name: String, cities: [PlaceCode], airport: PlaceCode?, timedJourney: TimedJourney?,
                airRoutes: AirRouteRule? = nil, oneBill: OneBillRule? = nil, source: String,
                location: SourceLocation, fieldLines: [String: Int] = [:]) {
        self.name = name
        self.cities = cities
        self.airport = airport
        self.timedJourney = timedJourney
        self.airRoutes = airRoutes
        self.oneBill = oneBill
        self.source = source
        self.location = location
        self.fieldLines = fieldLines
    }
}

/// Shipments from a hub place to a country that pass through another country on the way
/// (the China–Laos–Thailand train: to TH through LA).
public struct TimedJourney: Hashable, Sendable {
    /// ISO 3166-1 alpha-2 code of the destination country.
    public var toCountry: String
    /// ISO 3166-1 alpha-2 code of a country the route must stop in (a service leg ends there).
    public var throughCountry: String

    public init(toCountry: String, throughCountry: String) {
        self.toCountry = toCountry
        self.throughCountry = throughCountry
    }
}

/// When an international air route from the hub airport operates: its freight must fill the
/// flights of a week, both directions together, to `minimumLoadFactor`, in at least
/// `minimumShareOfWeeks` of the run's full weeks (docs/targets.md). Passenger routes (services
/// whose id ends with `passengerServiceSuffix`) fly for their passengers, which the simulator
/// does not model: they are counted as timetabled, an input, and reported apart.
public struct AirRouteRule: Hashable, Sendable {
    /// Carried ÷ offered TEU of a week's flights, both directions, at which a route flies that week (0–1).
    public var minimumLoadFactor: Double
    /// Share of the full weeks a route must fly in to count as operating (0–1).
    public var minimumShareOfWeeks: Double
    /// Services whose id ends with this are passenger (belly) routes; nil: every route is a freighter.
    public var passengerServiceSuffix: String?
    /// A URL, or `estimate:` with how the figures were chosen.
    public var source: String

    public init(minimumLoadFactor: Double, minimumShareOfWeeks: Double, passengerServiceSuffix: String?, source: String) {
        self.minimumLoadFactor = minimumLoadFactor
        self.minimumShareOfWeeks = minimumShareOfWeeks
        self.passengerServiceSuffix = passengerServiceSuffix
        self.source = source
    }

    /// Whether `service` is a passenger (belly) route by its id (a `bothWays` return, `….back`,
    /// by the id it was declared with).
    public func isPassenger(_ service: Service) -> Bool {
        guard let suffix = passengerServiceSuffix else { return false }
        var id = service.id.rawValue
        if service.isReverse && id.hasSuffix(".back") { id.removeLast(".back".count) }
        return id.hasSuffix(suffix)
    }
}

/// Through (one-bill) documents: one per multimodal consignment under one contract, times the
/// share of such consignments that are issued one (docs/targets.md).
public struct OneBillRule: Hashable, Sendable {
    /// Share of multimodal consignments issued a through bill (0–1).
    public var adoptionShare: Double
    /// A URL, or `estimate:` with how the share was derived.
    public var source: String

    public init(adoptionShare: Double, source: String) {
        self.adoptionShare = adoptionShare
        self.source = source
    }
}
