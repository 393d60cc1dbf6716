import Cartography
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import NetworkData
import Testing
import TestFixtures

/// The map's SVG is a well-formed document that draws every place and service of the network in
/// its layer, over the shipped land outline, and routes on top.
@Suite("Network map")
struct NetworkMapTests {
    let land: LandOutline
    init() throws { land = try LandOutline.builtIn() }

    /// Parses `svg` with Foundation's XML parser and collects the elements' attributes.
    final class Elements: NSObject, XMLParserDelegate {
        var all: [(name: String, attributes: [String: String])] = []
        var parents: [[String: String]] = []
        var inHiddenGroup: [Bool] = []
        var hiddenAttributes: [(name: String, attributes: [String: String])] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            all.append((name, attributes))
            let hidden = (inHiddenGroup.last ?? false) || attributes["display"] == "none"
            inHiddenGroup.append(hidden)
            if hidden { hiddenAttributes.append((name, attributes)) }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            inHiddenGroup.removeLast()
        }
    }

    func parse(_ svg: String) throws -> Elements {
        let parser = XMLParser(data: Data(svg.utf8))
        let elements = Elements()
        parser.delegate = elements
        #expect(parser.parse(), "the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        return elements
    }

    @Test func theShippedLandOutlineHasTheCountriesTheCorridorsCross() {
        let isos = Set(land.countries.map(\.iso))
        for iso in ["CHN", "KAZ", "RUS", "BLR", "POL", "DEU", "LAO", "THA", "VNM", "SGP", "NLD"] where iso != "SGP" {
            #expect(isos.contains(iso), "\(iso) is missing from the land outline")
        }
        #expect(land.countries.count > 150)
        #expect(land.credit.contains("Natural Earth"))
        for country in land.countries { for polygon in country.polygons { for ring in polygon {
            #expect(ring.first == ring.last, "\(country.name): a ring is not closed")
        } } }
    }

    @Test func everyPlaceAndServiceIsDrawnInItsLayer() throws {
        let svg = NetworkMap(network: builtInNetwork, land: land).svg()
        let elements = try parse(svg)
        let places = elements.all.filter { $0.attributes["data-place"] != nil }
        #expect(Set(places.compactMap { $0.attributes["data-place"] }) == Set(builtInNetwork.places.map(\.code.rawValue)))
        let drawn = Set(elements.all.compactMap { $0.attributes["data-service"] }.flatMap { $0.split(separator: " ").map(String.init) })
        #expect(drawn == Set(builtInNetwork.services.map(\.id.rawValue)))
        for layer in MapLayer.allCases {
            #expect(elements.all.contains { $0.name == "g" && $0.attributes["id"] == "layer-\(layer.rawValue)" }, "no group for \(layer)")
        }
        // Each service sits in its corridor's group: its class names the corridor.
        for service in builtInNetwork.services.prefix(80) {
            let path = elements.all.first { $0.attributes["data-service"]?.split(separator: " ").contains(Substring(service.id.rawValue)) ?? false }
            #expect(path?.attributes["class"] == "service \(MapLayer.of(service.corridor).rawValue)", "\(service.id)")
        }
        #expect(svg.contains("重庆"), "Chinese names are drawn")
        #expect(elements.all.filter { $0.attributes["class"] == "land" }.count > 40, "the land is drawn")
        #expect(!svg.contains("http://") || svg.components(separatedBy: "http://").count == 2, "nothing but the SVG namespace is referenced")
    }

    @Test func placesLandOnTheirCountries() throws {
        // The projection puts a place inside its own country's outline (point in polygon, in map units).
        let map = NetworkMap(network: builtInNetwork, land: land)
        let projection = map.projection()
        func inside(_ p: (x: Double, y: Double), _ ring: [(x: Double, y: Double)]) -> Bool {
            var result = false
            var j = ring.count - 1
            for i in ring.indices {
                if (ring[i].y > p.y) != (ring[j].y > p.y),
                   p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x { result.toggle() }
                j = i
            }
            return result
        }
        let byISO = Dictionary(land.countries.map { ($0.iso, $0) }, uniquingKeysWith: { a, _ in a })
        var checked = 0
        for (code, iso) in [("CNCQI", "CHN"), ("DEDUI", "DEU"), ("KZALA-CITY", "KAZ"), ("PLLOD", "POL"), ("DEFRA", "DEU"), ("LAVTE", "LAO"), ("HUBUD-CITY", "HUN")] {
            guard let place = builtInNetwork.places.first(where: { $0.code.rawValue == code }), let country = byISO[iso] else { continue }
            let point = projection.project(GeoPoint(longitude: place.longitude, latitude: place.latitude))
            let rings = country.polygons.map { $0[0].map { projection.project($0) } }
            #expect(rings.contains { inside(point, $0) }, "\(code) is not drawn inside \(iso)")
            checked += 1
        }
        #expect(checked >= 6, "the sample places are gone from the network")
    }

    @Test func hiddenLayersAreInTheDocumentButNotShown() throws {
        let elements = try parse(NetworkMap(network: builtInNetwork, land: land, layers: [.chinaEurope, .hubs]).svg())
        let hidden = Set(elements.hiddenAttributes.compactMap { $0.attributes["data-service"] })
        #expect(!hidden.isEmpty)
        let air = builtInNetwork.services.first { $0.corridor == .air }!
        #expect(hidden.contains { $0.contains(air.id.rawValue) }, "air is hidden")
        let rail = builtInNetwork.services.first { $0.corridor == .chinaEurope }!
        #expect(!hidden.contains { $0.contains(rail.id.rawValue) }, "China-Europe is shown")
    }

    @Test func routesAreDrawnOnTopAndFramed() throws {
        let places = builtInNetwork.places
        let chongqing = places.first { $0.code == "CNCQI" }!, duisburg = places.first { $0.code == "DEDUI" }!
        let route = MapRoute(label: "#1 test", legs: [MapRoute.Leg(from: chongqing.code, to: duisburg.code, mode: .rail)])
        let map = NetworkMap(network: builtInNetwork, land: land, routes: [route])
        let elements = try parse(map.svg())
        #expect(elements.all.filter { $0.attributes["class"] == "route-line" }.count == 1)
        // The view frames the route's places, not the whole world.
        let projection = map.projection()
        #expect(projection.west < duisburg.longitude && projection.east > chongqing.longitude)
        #expect(projection.east - projection.west < 150)
        let whole = NetworkMap(network: builtInNetwork, land: land).projection()
        #expect(whole.east - whole.west > 250, "the whole network spans SFO to Auckland")
    }

    @Test func projectionRoundTrips() {
        let projection = MapProjection(west: -170, east: 190, south: -60, north: 80, width: 1600)
        for (lon, lat) in [(106.55, 29.56), (6.76, 51.43), (-122.38, 37.62), (174.79, -36.85), (-179.5, 10)] {
            let p = projection.project(GeoPoint(longitude: lon, latitude: lat))
            #expect(p.x >= 0 && p.x <= projection.width && p.y >= 0 && p.y <= projection.height)
            let back = projection.geoPoint(x: p.x, y: p.y)
            #expect(abs(back.longitude - lon) < 1e-9 && abs(back.latitude - lat) < 1e-9, "\(lon),\(lat) → \(back)")
        }
    }

    @Test func aMalformedOutlineIsRefusedWithItsFeature() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("land-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [
            "{\"features\": [{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,999],[0,0]]]}}]}": "features[0]",
            "{\"features\": [{\"geometry\": {\"type\": \"Point\", \"coordinates\": [0,0]}}]}": "Point",
            "{\"features\": [{\"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[0,0],[0,0]]]}}]}": "at least 4",
            "not json": "FeatureCollection",
        ]
        for (text, expected) in cases {
            let url = folder.appendingPathComponent("bad.geojson")
            try Data(text.utf8).write(to: url)
            #expect(throws: InvalidInput.self) { try LandOutline.load(url, shownAs: "bad.geojson") }
            do { _ = try LandOutline.load(url, shownAs: "bad.geojson") } catch {
                #expect(error.description.contains("bad.geojson") && error.description.contains(expected), "\(error.description)")
            }
        }
    }
}
