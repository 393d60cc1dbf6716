import Foundation
import Markup
import NetworkData

/// A layer of the network map that a reader switches on and off.
public enum MapLayer: String, CaseIterable, Sendable {
    case chinaEurope, landSea, yangtze, air, ocean, domestic
    /// Border crossings and gauge changes.
    case borders
    /// Every other place: hubs, terminals, ports, airports, cities.
    case hubs

    /// The layer's name in English and Chinese.
    public var title: String {
        switch self {
        case .chinaEurope: "China-Europe Railway Express 中欧班列"
        case .landSea: "New Western Land-Sea Corridor 西部陆海新通道"
        case .yangtze: "Yangtze shipping 长江航运"
        case .air: "Air cargo 航空货运"
        case .ocean: "Ocean shipping 海运"
        case .domestic: "Domestic links 国内联运"
        case .borders: "Borders and gauge changes 口岸与换装"
        case .hubs: "Hubs, ports and airports 枢纽、港口与机场"
        }
    }

    /// The layer a service is drawn in.
    public static func of(_ corridor: Corridor) -> MapLayer {
        switch corridor {
        case .chinaEurope: .chinaEurope
        case .landSea: .landSea
        case .yangtze: .yangtze
        case .air: .air
        case .ocean: .ocean
        case .domestic: .domestic
        }
    }

    /// The layer a place is drawn in.
    public static func of(_ kind: PlaceKind) -> MapLayer {
        kind == .borderCrossing || kind == .gaugeChange ? .borders : .hubs
    }

    var colour: String {
        switch self {
        case .chinaEurope: "#c0392b"
        case .landSea: "#1e8449"
        case .yangtze: "#2471a3"
        case .air: "#7d3c98"
        case .ocean: "#17a589"
        case .domestic: "#7f8c8d"
        case .borders: "#d4ac0d"
        case .hubs: "#34495e"
        }
    }
}

/// A route drawn over the map: its legs from place to place.
public struct MapRoute: Sendable {
    public struct Leg: Sendable {
        public var from: PlaceCode
        public var to: PlaceCode
        public var mode: TransportMode
        public init(from: PlaceCode, to: PlaceCode, mode: TransportMode) {
            self.from = from
            self.to = to
            self.mode = mode
        }
    }

    /// Shown in the legend, e.g. "#1 2,485 USD 58.3 days".
    public var label: String
    public var legs: [Leg]

    public init(label: String, legs: [Leg]) {
        self.label = label
        self.legs = legs
    }
}

/// The network drawn as SVG over the land: services by corridor and places by kind, each layer a
/// group (`<g id="layer-chinaEurope" data-layer="chinaEurope">`) that a page switches on and off,
/// every place and service carrying its code or id (`data-place`, `data-service`) and a title in
/// English and Chinese, and optionally routes drawn on top.
///
/// The SVG is standalone (its styles inside), fetches nothing, and names fonts that cover CJK.
public struct NetworkMap: Sendable {
    public var network: Network
    public var land: LandOutline
    public var layers: Set<MapLayer>
    public var routes: [MapRoute]
    /// The map's width in SVG units; the height follows from the view.
    public var width: Double

    public init(network: Network, land: LandOutline, layers: Set<MapLayer> = Set(MapLayer.allCases), routes: [MapRoute] = [],
                width: Double = 1600) {
        self.network = network
        self.land = land
        self.layers = layers
        self.routes = routes
        self.width = width
    }

    /// Longitudes west of this are drawn east of 180°, so the Pacific, not Asia, is cut.
    static let westEdge = -170.0

    /// The view: the places of the routes when there are routes, else every place, with a margin.
    /// - Complexity: O(places + legs).
    public func projection() -> MapProjection {
        var shown: [Place] = routes.flatMap { $0.legs.flatMap { [network.place($0.from), network.place($0.to)] } }.compactMap { $0 }
        if shown.isEmpty { shown = network.places }
        let frame = MapProjection(west: Self.westEdge, east: Self.westEdge + 360, south: -90, north: 90, width: 1)
        let longitudes = shown.map { frame.unwrapped($0.longitude) }, latitudes = shown.map(\.latitude)
        guard let minLon = longitudes.min(), let maxLon = longitudes.max(), let minLat = latitudes.min(), let maxLat = latitudes.max() else {
            return MapProjection(west: -20, east: 160, south: -10, north: 70, width: width)
        }
        let margin = max(3, 0.08 * max(maxLon - minLon, maxLat - minLat))
        var projection = MapProjection(west: minLon - margin, east: maxLon + margin, south: max(-85, minLat - margin),
                                       north: min(85, maxLat + margin), width: width)
        projection.westEdge = Self.westEdge
        return projection
    }

    /// The map as a standalone SVG document.
    /// - Complexity: O(land points + places + services + legs).
    public func svg() -> String {
        let projection = projection()
        let height = projection.height
        func point(_ place: Place) -> (x: Double, y: Double) {
            projection.project(GeoPoint(longitude: place.longitude, latitude: place.latitude))
        }
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" id="network-map" viewBox="0 0 \(n(width)) \(n(height))" \
            width="\(n(width))" height="\(n(height))" data-west="\(projection.west)" data-east="\(projection.east)" \
            data-south="\(projection.south)" data-north="\(projection.north)">
            <title>\(esc(network.name)): \(network.places.count) places, \(network.services.count) services</title>
            <style>
            svg { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Noto Sans', sans-serif; background: #dfeaf2; }
            .land { fill: #f4f3ee; stroke: #b9b7ad; stroke-width: 0.6; }
            .service { fill: none; stroke-width: 1.8; stroke-linecap: round; opacity: 0.8; vector-effect: non-scaling-stroke; }
            .service:hover, .place:hover { opacity: 1; stroke-width: 3.5; }
            \(MapLayer.allCases.map { ".\($0.rawValue) { stroke: \($0.colour); }" }.joined(separator: "\n"))
            .service.air { stroke-dasharray: 5 4; }
            .place { fill: #ffffff; stroke: #34495e; stroke-width: 1.2; vector-effect: non-scaling-stroke; }
            .place.borderCrossing, .place.gaugeChange { fill: #f4d03f; stroke: #9a7d0a; }
            .place.inlandHub { fill: #c0392b; stroke: #ffffff; }
            .label { font-size: 11px; fill: #1b2631; paint-order: stroke; stroke: #ffffff; stroke-width: 3px; }
            .route-line { fill: none; stroke-width: 5; stroke-linecap: round; stroke-linejoin: round; opacity: 0.85; vector-effect: non-scaling-stroke; }
            .legend { font-size: 12px; fill: #1b2631; }
            .credit { font-size: 10px; fill: #566573; }
            \(routes.isEmpty ? "" : ".service { opacity: 0.25; } .label { opacity: 0.6; }")
            </style>
            <rect class="sea" x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#dfeaf2"/>

            """
        out += "<g id=\"layer-land\" data-layer=\"land\">\n"
        for country in land.countries {
            var path = ""
            for polygon in country.polygons {
                for ring in polygon {
                    // A ring is moved as a whole, so that one crossing the window's edge is not torn.
                    let mean = ring.reduce(0) { $0 + $1.longitude } / Double(ring.count)
                    let shift = projection.unwrapped(mean) - mean
                    let projected = ring.map { projection.project(longitude: $0.longitude + shift, latitude: $0.latitude) }
                    guard projected.contains(where: { $0.x > -50 && $0.x < width + 50 && $0.y > -50 && $0.y < height + 50 })
                            || Self.encloses(projected, width: width, height: height) else { continue }
                    path += "M" + projected.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: "L") + "Z"
                }
            }
            if !path.isEmpty { out += "<path class=\"land\" data-country=\"\(esc(country.iso))\" d=\"\(path)\"><title>\(esc(country.name))</title></path>\n" }
        }
        out += "</g>\n"

        // One line per corridor and pair of places, titled with every service on it.
        struct Pair: Hashable { var corridor: Corridor; var a: PlaceCode; var b: PlaceCode }
        var lines: [Pair: [Service]] = [:]
        var order: [Pair] = []
        for service in network.services {
            let (a, b) = service.from.rawValue < service.to.rawValue ? (service.from, service.to) : (service.to, service.from)
            let pair = Pair(corridor: service.corridor, a: a, b: b)
            if lines[pair] == nil { order.append(pair) }
            lines[pair, default: []].append(service)
        }
        for layer in [MapLayer.domestic, .ocean, .yangtze, .landSea, .chinaEurope, .air] {
            out += "<g id=\"layer-\(layer.rawValue)\" data-layer=\"\(layer.rawValue)\"\(layers.contains(layer) ? "" : " display=\"none\"")>\n"
            out += "<title>\(esc(layer.title))</title>\n"
            for pair in order where MapLayer.of(pair.corridor) == layer {
                guard let from = network.place(pair.a), let to = network.place(pair.b), let services = lines[pair] else { continue }
                let p = point(from), q = point(to)
                let d: String
                if layer == .air {
                    // A flight as a gentle arc, bowed to the left of its direction.
                    let mx = (p.x + q.x) / 2, my = (p.y + q.y) / 2, dx = q.x - p.x, dy = q.y - p.y
                    d = "M\(n(p.x)),\(n(p.y))Q\(n(mx + dy * 0.15)),\(n(my - dx * 0.15)) \(n(q.x)),\(n(q.y))"
                } else {
                    d = "M\(n(p.x)),\(n(p.y))L\(n(q.x)),\(n(q.y))"
                }
                let ids = services.map(\.id.rawValue)
                let title = "\(placeName(from)) ↔ \(placeName(to)): " + services.map { "\($0.id.rawValue) \($0.name) (\(decimal($0.departuresPerWeek))/week)" }.joined(separator: "; ")
                out += "<path class=\"service \(layer.rawValue)\" data-service=\"\(esc(ids.joined(separator: " ")))\" data-from=\"\(esc(pair.a.rawValue))\" data-to=\"\(esc(pair.b.rawValue))\" d=\"\(d)\"><title>\(esc(title))</title></path>\n"
            }
            out += "</g>\n"
        }

        for layer in [MapLayer.borders, .hubs] {
            out += "<g id=\"layer-\(layer.rawValue)\" data-layer=\"\(layer.rawValue)\"\(layers.contains(layer) ? "" : " display=\"none\"")>\n"
            out += "<title>\(esc(layer.title))</title>\n"
            for place in network.places where MapLayer.of(place.kind) == layer {
                let p = point(place)
                let radius = place.kind == .inlandHub ? 5.0 : place.kind == .city ? 3.5 : 3.0
                out += "<circle class=\"place \(place.kind.rawValue)\" data-place=\"\(esc(place.code.rawValue))\" data-name=\"\(esc(place.name))\" data-name-zh=\"\(esc(place.nameZh ?? ""))\" cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(radius))\"><title>\(esc(placeName(place))) · \(esc(place.code.rawValue)) · \(place.kind.rawValue)</title></circle>\n"
            }
            if layer == .hubs {
                for place in network.places where place.kind == .city {
                    let p = point(place)
                    out += "<text class=\"label\" data-label=\"\(esc(place.code.rawValue))\" x=\"\(n(p.x + 6))\" y=\"\(n(p.y - 4))\">\(esc(placeName(place)))</text>\n"
                }
            }
            out += "</g>\n"
        }

        if !routes.isEmpty {
            out += "<g id=\"routes\">\n"
            for (index, route) in routes.enumerated() {
                let colour = Self.routeColours[index % Self.routeColours.count]
                out += "<g class=\"route\" data-route=\"\(index + 1)\"><title>\(esc(route.label))</title>\n"
                var points: [(x: Double, y: Double)] = []
                for leg in route.legs {
                    guard let from = network.place(leg.from), let to = network.place(leg.to) else { continue }
                    if points.isEmpty { points.append(point(from)) }
                    points.append(point(to))
                }
                if points.count >= 2 {
                    // Alternatives that share a path stay visible side by side: each is offset a little.
                    let offset = Double(index) * 2.5
                    let d = "M" + points.map { "\(n($0.x + offset)),\(n($0.y + offset))" }.joined(separator: "L")
                    out += "<path class=\"route-line\" stroke=\"\(colour)\" d=\"\(d)\"/>\n"
                }
                out += "</g>\n"
            }
            out += "</g>\n"
            out += "<g id=\"route-legend\" class=\"legend\">\n<rect x=\"8\" y=\"8\" width=\"420\" height=\"\(n(Double(routes.count) * 18 + 10))\" fill=\"#ffffff\" opacity=\"0.85\"/>\n"
            for (index, route) in routes.enumerated() {
                let y = 24 + Double(index) * 18
                out += "<line x1=\"16\" y1=\"\(n(y - 4))\" x2=\"40\" y2=\"\(n(y - 4))\" stroke=\"\(Self.routeColours[index % Self.routeColours.count])\" stroke-width=\"5\"/><text x=\"48\" y=\"\(n(y))\">\(esc(route.label))</text>\n"
            }
            out += "</g>\n"
        }

        let shownLayers = MapLayer.allCases.filter { layers.contains($0) }
        out += "<g id=\"layer-legend\" class=\"legend\">\n"
        for (index, layer) in shownLayers.enumerated() {
            let y = height - 14 - Double(shownLayers.count - 1 - index) * 16
            out += "<line x1=\"12\" y1=\"\(n(y - 4))\" x2=\"32\" y2=\"\(n(y - 4))\" stroke=\"\(layer.colour)\" stroke-width=\"3\"/><text x=\"38\" y=\"\(n(y))\">\(esc(layer.title))</text>\n"
        }
        out += "</g>\n"
        out += "<text class=\"credit\" x=\"\(n(width - 8))\" y=\"\(n(height - 6))\" text-anchor=\"end\">\(esc(land.credit))</text>\n"
        out += "</svg>\n"
        return out
    }

    static let routeColours = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"]

    /// "Chongqing 重庆" or "Duisburg".
    func placeName(_ place: Place) -> String {
        place.nameZh.map { "\(place.name) \($0)" } ?? place.name
    }

    /// Whether a ring that has no point in view surrounds the view (a continent larger than it).
    static func encloses(_ ring: [(x: Double, y: Double)], width: Double, height: Double) -> Bool {
        guard let minX = ring.map(\.x).min(), let maxX = ring.map(\.x).max(), let minY = ring.map(\.y).min(),
              let maxY = ring.map(\.y).max() else { return false }
        return minX < width && maxX > 0 && minY < height && maxY > 0
    }
}

private func esc(_ text: String) -> String { HTMLText.escape(text) }

/// SVG units with one decimal.
private func n(_ value: Double) -> String { String(format: "%.1f", value) }

private func decimal(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
}
