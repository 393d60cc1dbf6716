import Foundation

/// Writes a network as an RFC 7946 GeoJSON FeatureCollection: places as Points, services as
/// LineStrings (MultiLineStrings where they cross the antimeridian), `[lon, lat]` in WGS 84.
public enum GeoJSONExport {
    /// The FeatureCollection as a JSON-ready value.
    /// - Complexity: O(p + s) for p places and s services.
    public static func featureCollection(of network: Network) -> [String: Any] {
        var features: [[String: Any]] = []
        for place in network.places {
            var properties: [String: Any] = [
                "featureType": "place", "code": place.code.rawValue, "name": place.name,
                "kind": place.kind.rawValue, "country": place.country,
            ]
            if let zh = place.nameZh { properties["nameZh"] = zh }
            if let iata = place.iata { properties["iata"] = iata }
            if let city = place.city { properties["city"] = city.rawValue }
            features.append([
                "type": "Feature",
                "geometry": ["type": "Point", "coordinates": [place.longitude, place.latitude]],
                "properties": properties,
            ])
        }
        for service in network.services {
            guard let from = network.place(service.from), let to = network.place(service.to) else { continue }
            var properties: [String: Any] = [
                "featureType": "service", "id": service.id.rawValue, "name": service.name,
                "mode": service.mode.rawValue, "corridor": service.corridor.rawValue,
                "from": service.from.rawValue, "to": service.to.rawValue,
                "distanceKm": service.distanceKm, "transitHoursMean": service.transit.meanHours,
                "departuresPerWeek": service.departuresPerWeek,
            ]
            if let op = service.operator { properties["operator"] = op }
            features.append([
                "type": "Feature",
                "geometry": lineGeometry(from: (from.longitude, from.latitude), to: (to.longitude, to.latitude)),
                "properties": properties,
            ])
        }
        return ["type": "FeatureCollection", "features": features]
    }

    /// The collection serialised as JSON text.
    public static func json(of network: Network) throws -> Data {
        try JSONSerialization.data(withJSONObject: featureCollection(of: network), options: [.sortedKeys])
    }

    /// A LineString, or a MultiLineString split at ±180° when the shorter way crosses it
    /// (RFC 7946 §3.1.9).
    static func lineGeometry(from a: (Double, Double), to b: (Double, Double)) -> [String: Any] {
        let delta = b.0 - a.0
        guard abs(delta) > 180 else {
            return ["type": "LineString", "coordinates": [[a.0, a.1], [b.0, b.1]]]
        }
        // Going the short way crosses the antimeridian: unwrap b, find the crossing latitude.
        let unwrappedB = delta > 0 ? b.0 - 360 : b.0 + 360
        let edge: Double = delta > 0 ? -180 : 180
        let fraction = (edge - a.0) / (unwrappedB - a.0)
        let crossingLat = a.1 + fraction * (b.1 - a.1)
        return [
            "type": "MultiLineString",
            "coordinates": [[[a.0, a.1], [edge, crossingLat]], [[-edge, crossingLat], [b.0, b.1]]],
        ]
    }
}
