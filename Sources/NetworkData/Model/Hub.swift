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
    public var source: String
    public var location: SourceLocation
    /// Lines of individual fields (`cities`, `airport`) for messages about them.
    public var fieldLines: [String: Int] = [:]

    public init(name: String, cities: [PlaceCode], airport: PlaceCode?, timedJourney: TimedJourney?, source: String,
                location: SourceLocation, fieldLines: [String: Int] = [:]) {
        self.name = name
        self.cities = cities
        self.airport = airport
        self.timedJourney = timedJourney
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
