import NetworkData

/// The answer of `GET /api/places?query=`: what a typed place resolves to, as the command line
/// resolves `--from` and `--to` (``PlaceDirectory``).
public struct PlaceLookup: Codable, Sendable, Equatable {
    /// A place with its names in English and Chinese and where it is.
    public struct Entry: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var nameZh: String?
        public var iata: String?
        public var kind: String
        public var country: String
        /// The city a terminal belongs to.
        public var city: String?
        public var latitude: Double
        public var longitude: Double

        init(_ place: Place) {
            code = place.code.rawValue
            name = place.name
            nameZh = place.nameZh
            iata = place.iata
            kind = place.kind.rawValue
            country = place.country
            city = place.city?.rawValue
            latitude = place.latitude
            longitude = place.longitude
        }
    }

    public var query: String
    /// `found` (one place: `places[0]`), `ambiguous` (the candidates) or `unknown` (the
    /// closest names, possibly none): the query is usable as `from`/`to` only when `found`.
    public var status: String
    public var places: [Entry]

    /// Looks `query` up in `directory`.
    ///
    /// - Complexity: that of ``PlaceDirectory/match(_:)``.
    init(query: String, directory: PlaceDirectory) {
        self.query = query
        switch directory.match(query) {
        case .found(let place):
            status = "found"
            places = [Entry(place)]
        case .ambiguous(let candidates):
            status = "ambiguous"
            places = candidates.map(Entry.init)
        case .unknown(let closest):
            status = "unknown"
            places = closest.map(Entry.init)
        }
    }
}
