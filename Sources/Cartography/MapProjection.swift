import Foundation

/// Degrees to map units: an equidistant cylindrical projection (longitude and latitude scaled
/// linearly, longitude by the cosine of a standard parallel, so that the Eurasian belt the
/// corridors cross keeps its shape), over a longitude window that may wrap past 180°.
public struct MapProjection: Sendable {
    /// The window's western edge: longitudes west of it are drawn east of 180°.
    public var westEdge: Double
    /// West, east, south and north edges of the view, in degrees (east may exceed 180).
    public var west: Double, east: Double, south: Double, north: Double
    /// Map units per degree of latitude.
    public var unitsPerDegree: Double
    /// cos(standard parallel): map units per degree of longitude relative to latitude.
    public var longitudeScale: Double

    /// A view of `west…east` × `south…north` that is `width` units wide, standard parallel 35°N.
    public init(west: Double, east: Double, south: Double, north: Double, width: Double, standardParallel: Double = 35) {
        self.westEdge = west
        self.west = west
        self.east = east
        self.south = south
        self.north = north
        longitudeScale = cos(standardParallel * .pi / 180)
        unitsPerDegree = width / max(1e-9, (east - west) * longitudeScale)
    }

    public var width: Double { (east - west) * longitudeScale * unitsPerDegree }
    public var height: Double { (north - south) * unitsPerDegree }

    /// `longitude` moved into the window (`westEdge` ≤ result < `westEdge` + 360).
    public func unwrapped(_ longitude: Double) -> Double {
        var value = longitude
        while value < westEdge { value += 360 }
        while value >= westEdge + 360 { value -= 360 }
        return value
    }

    /// Map units of a point, x east and y south from the view's north-west corner.
    public func project(_ point: GeoPoint) -> (x: Double, y: Double) {
        ((unwrapped(point.longitude) - west) * longitudeScale * unitsPerDegree, (north - point.latitude) * unitsPerDegree)
    }

    /// Map units of a longitude taken as it is (not moved into the window): for the points of a
    /// ring that is moved as a whole.
    public func project(longitude: Double, latitude: Double) -> (x: Double, y: Double) {
        ((longitude - west) * longitudeScale * unitsPerDegree, (north - latitude) * unitsPerDegree)
    }

    /// The degrees of a map point; the inverse of ``project(_:)``.
    public func geoPoint(x: Double, y: Double) -> GeoPoint {
        var longitude = west + x / (longitudeScale * unitsPerDegree)
        if longitude > 180 { longitude -= 360 }
        return GeoPoint(longitude: longitude, latitude: north - y / unitsPerDegree)
    }
}
