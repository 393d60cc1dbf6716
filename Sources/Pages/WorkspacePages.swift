import Cartography
import Markup
import NetworkData

/// The workspace's HTML pages, rendered on the server from the library's data: the network map
/// and the forms of the route query, batch plans, simulations and studies. Each page works
/// offline (nothing is fetched but the workspace's own API), keeps its state in its URL, and
/// names fonts that cover Chinese.
public struct WorkspacePages: Sendable {
    let network: Network
    /// The network map, drawn once: every page with a map embeds it.
    let mapSVG: String

    /// - Complexity: one map drawing, O(land points + places + services).
    public init(network: Network, land: LandOutline) {
        self.network = network
        mapSVG = NetworkMap(network: network, land: land).svg()
    }

    /// The page of `section`.
    public func html(_ section: WorkspaceSection) -> String {
        switch section {
        case .map: PageShell.render(.map, networkName: network.name, body: mapBody(), script: "")
        case .route: PageShell.render(.route, networkName: network.name, body: routeBody(), script: RoutePage.script)
        case .plans: PageShell.render(.plans, networkName: network.name, body: PlansPage.body, script: PlansPage.script)
        case .simulate: PageShell.render(.simulate, networkName: network.name, body: SimulatePage.body, script: SimulatePage.script)
        case .studies: PageShell.render(.studies, networkName: network.name, body: studiesBody(), script: StudiesPage.script)
        }
    }

    /// The map with its zoom buttons.
    func mapFrame() -> String {
        """
        <div class="map-frame" id="map-frame">
        \(mapSVG)
        <div class="map-tools"><button type="button" data-zoom="in" title="Zoom in">+</button><button type="button" data-zoom="out" title="Zoom out">−</button><button type="button" data-zoom="reset" title="Whole network">⌂</button></div>
        </div>
        """
    }

    /// A checkbox per map layer.
    func layerPanel() -> String {
        let boxes = MapLayer.allCases.map { layer in
            "<label><input type=\"checkbox\" data-layer-toggle=\"\(layer.rawValue)\" checked> \(HTMLText.escape(layer.title))</label>"
        }.joined(separator: "\n")
        return "<div class=\"panel\" id=\"layers\"><strong>Layers 图层</strong>\n\(boxes)\n</div>"
    }

    func mapBody() -> String {
        let corridors = Dictionary(grouping: network.services, by: \.corridor).mapValues(\.count)
        let counts = Corridor.allCases.compactMap { corridor in corridors[corridor].map { "\(MapLayer.of(corridor).title): \($0)" } }
        return """
            <div class="workspace">
            <section>\(mapFrame())
            <p class="muted">Drag to pan, wheel or +/− to zoom, click a place or a line. \(network.places.count) places, \(network.services.count) services. The URL keeps the layers and the view.</p>
            </section>
            <aside>
            \(layerPanel())
            <div class="panel" id="map-info"><span class="muted">Click a place or a service.</span></div>
            <div class="panel"><strong>Services by corridor</strong><ul>\(counts.map { "<li>\(HTMLText.escape($0))</li>" }.joined())</ul></div>
            <div class="panel exports"><strong>Export</strong><br>
            <button type="button" id="export-svg" onclick="rp.map.exportSVG()">SVG</button>
            <a href="/api/network.geojson" download="network.geojson" id="export-geojson">GeoJSON</a>
            </div>
            </aside>
            </div>
            """
    }

    func routeBody() -> String {
        """
        <div class="workspace">
        <section>\(mapFrame())
        <div class="panel"><div id="route-status" class="muted">Type two places and ask.</div>
        <div class="alternatives" id="alternatives"></div></div>
        <div class="panel"><strong>Pareto front: cost, days, CO2e</strong><div id="pareto"></div></div>
        </section>
        <aside>
        <form class="panel" id="route-form">
        <label>From 起点 <input type="text" name="from" list="from-places" autocomplete="off" required placeholder="Chongqing, CNCQI, 重庆"></label>
        <datalist id="from-places"></datalist>
        <label>To 终点 <input type="text" name="to" list="to-places" autocomplete="off" required placeholder="Duisburg, DEDUI"></label>
        <datalist id="to-places"></datalist>
        <label>TEU <input type="number" name="teu" min="0.001" step="any" placeholder="1"></label>
        <label>Objective <select name="objective"><option value="cost">cost</option><option value="time">time</option><option value="co2">co2</option><option value="balanced">balanced</option></select></label>
        <label>Alternatives <input type="number" name="alternatives" min="1" max="100" value="5"></label>
        <label>Deadline (e.g. 20d, 36h) <input type="text" name="deadline"></label>
        <label>Cargo <input type="text" name="cargo" placeholder="general"></label>
        <button class="primary" type="submit" id="route-submit">Find routes 查询</button>
        </form>
        \(layerPanel())
        <div class="panel" id="map-info"><span class="muted">Click a place or a service.</span></div>
        <div class="panel exports"><strong>Export</strong><br>
        <button type="button" id="export-route-json">JSON</button><button type="button" id="export-route-csv">CSV</button>
        <button type="button" onclick="rp.map.exportSVG()">SVG</button>
        </div>
        </aside>
        </div>
        """
    }

    func studiesBody() -> String {
        """
        <div class="panel"><span id="study-status" class="muted"></span>
        <label>Baseline 基准 <select id="study-baseline"></select></label>
        <button type="button" id="study-refresh">Refresh</button>
        <span class="exports"><button type="button" id="export-study-csv">CSV</button>
        <a href="/api/studies/report" download="study-report.json" id="export-study-json">JSON</a>
        <a href="/api/studies/database" download="results.sqlite" id="export-study-db">Results database</a></span>
        </div>
        <div class="panel" style="overflow-x:auto"><table id="study-runs"></table></div>
        <div class="workspace">
        <section><div class="panel" id="study-comparison"></div></section>
        <aside><div class="panel"><strong>Difference on the map</strong><div id="difference-legend" class="muted"></div></div></aside>
        </div>
        \(mapFrame())
        <div class="panel" id="map-info"><span class="muted">Click a place or a service.</span></div>
        """
    }
}
