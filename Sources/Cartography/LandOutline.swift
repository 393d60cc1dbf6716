import Foundation
import NetworkData

/// The land the maps draw under the network: country polygons in degrees (GeoJSON).
public struct LandOutline: Sendable {
    /// One country: its polygons, each an outer ring then its holes, as (longitude, latitude).
    public struct Country: Sendable {
        public var name: String
        public var iso: String
        public var polygons: [[[GeoPoint]]]
    }

    public var countries: [Country]
    /// The data's credit line, drawn on every map.
    public var credit: String

    /// The outline shipped with the repository (`networks/geodata/land-110m.geojson`, Natural
    /// Earth 1:110m), found as the built-in network is.
    public static let relativePath = "networks/geodata/land-110m.geojson"

    /// Loads the shipped outline.
    /// - Throws: ``InvalidInput`` when it is missing or malformed.
    public static func builtIn() throws(InvalidInput) -> LandOutline {
        guard let url = BuiltInNetwork.repositoryFile(relativePath) else {
            throw InvalidInput(issues: [InputIssue(location: SourceLocation(file: relativePath, line: 1), field: "",
                                                   message: "not found; expected it in the checkout beside the executable")])
        }
        return try load(url, shownAs: relativePath)
    }

    /// Reads a GeoJSON FeatureCollection of Polygon or MultiPolygon countries.
    /// - Throws: ``InvalidInput`` naming the feature and what is wrong (JSON has no useful line
    ///   numbers here: the file is one line).
    /// - Complexity: O(points).
    public static func load(_ url: URL, shownAs shown: String) throws(InvalidInput) -> LandOutline {
        func fail(_ field: String, _ message: String) -> InvalidInput {
            InvalidInput(issues: [InputIssue(location: SourceLocation(file: shown, line: 1), field: field, message: message)])
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw fail("", "cannot read (\(error.localizedDescription))") }
        guard data.count <= 64 << 20 else { throw fail("", "\(data.count) bytes; expected at most 64 MiB") }
        let collection: FeatureCollection
        do { collection = try JSONDecoder().decode(FeatureCollection.self, from: data) } catch {
            throw fail("", "not a GeoJSON FeatureCollection of countries (\(error)); expected {\"features\": [...]}")
        }
        var countries: [Country] = []
        for (index, feature) in collection.features.enumerated() {
            let field = "features[\(index)]"
            let polygons: [[[[Double]]]]
            switch feature.geometry.type {
            case "Polygon": polygons = [feature.geometry.polygon ?? []]
            case "MultiPolygon": polygons = feature.geometry.multiPolygon ?? []
            default: throw fail(field, "geometry type '\(feature.geometry.type)'; expected Polygon or MultiPolygon")
            }
            var rings: [[[GeoPoint]]] = []
            for polygon in polygons {
                var converted: [[GeoPoint]] = []
                for ring in polygon {
                    var points: [GeoPoint] = []
                    for pair in ring {
                        guard pair.count >= 2, pair[0].isFinite, pair[1].isFinite, (-180...180).contains(pair[0]), (-90...90).contains(pair[1]) else {
                            throw fail(field, "a point \(pair); expected [longitude −180…180, latitude −90…90]")
                        }
                        points.append(GeoPoint(longitude: pair[0], latitude: pair[1]))
                    }
                    guard points.count >= 4 else { throw fail(field, "a ring of \(points.count) points; expected at least 4 (closed)") }
                    converted.append(points)
                }
                rings.append(converted)
            }
            countries.append(Country(name: feature.properties?.name ?? "", iso: feature.properties?.iso_a3 ?? "", polygons: rings))
        }
        return LandOutline(countries: countries, credit: collection.credit ?? "Made with Natural Earth")
    }

    private struct FeatureCollection: Decodable {
        var features: [Feature]
        var credit: String?
    }

    private struct Feature: Decodable {
        var properties: Properties?
        var geometry: Geometry
    }

    private struct Properties: Decodable {
        var name: String?
        var iso_a3: String?
    }

    private struct Geometry: Decodable {
        var type: String
        var polygon: [[[Double]]]?
        var multiPolygon: [[[[Double]]]]?

        enum CodingKeys: String, CodingKey { case type, coordinates }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            switch type {
            case "Polygon": polygon = try container.decode([[[Double]]].self, forKey: .coordinates)
            case "MultiPolygon": multiPolygon = try container.decode([[[[Double]]]].self, forKey: .coordinates)
            default: break
            }
        }
    }
}

/// A point on the earth in degrees.
public struct GeoPoint: Sendable, Hashable {
    public var longitude: Double
    public var latitude: Double

    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}
