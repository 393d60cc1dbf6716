import Markup

/// The workspace's sections, in the navigation's order.
public enum WorkspaceSection: String, CaseIterable, Sendable {
    case map, route, plans, simulate, studies

    /// The page's path on the server.
    public var path: String { self == .map ? "/" : "/\(rawValue)" }

    var title: String {
        switch self {
        case .map: "Network 网络"
        case .route: "Routes 线路"
        case .plans: "Batch plans 批量计划"
        case .simulate: "Simulate 仿真"
        case .studies: "Studies 研究"
        }
    }
}

/// The frame every page shares: navigation, styles (no stylesheet or font is fetched), the
/// shared script, and the page's own body and script.
enum PageShell {
    static func render(_ section: WorkspaceSection, networkName: String, body: String, script: String) -> String {
        let navigation = WorkspaceSection.allCases.map { item in
            "<a href=\"\(item.path)\" data-section=\"\(item.rawValue)\"\(item == section ? " class=\"active\" aria-current=\"page\"" : "")>\(HTMLText.escape(item.title))</a>"
        }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(section.title)) · routeplanner</title>
            <style>\(styles)</style>
            </head>
            <body data-section="\(section.rawValue)">
            <header><strong>routeplanner</strong> <span class="network">\(HTMLText.escape(networkName))</span>
            <nav>\(navigation)</nav></header>
            <main>
            \(body)
            </main>
            <script>\(SharedScript.source)</script>
            <script>\(script)</script>
            </body>
            </html>

            """
    }

    static let styles = #"""
        :root { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Noto Sans', 'DejaVu Sans', sans-serif; color: #1b2631; }
        body { margin: 0; background: #f7f9fa; }
        header { display: flex; gap: 1.5em; align-items: center; padding: 0.5em 1em; background: #1b2631; color: #fff; }
        header .network { color: #aab7b8; font-size: 0.85em; }
        nav a { color: #d5dbdb; margin-right: 1em; text-decoration: none; }
        nav a.active { color: #fff; border-bottom: 2px solid #f39c12; }
        main { padding: 0.8em 1em; }
        .workspace { display: grid; grid-template-columns: minmax(0, 1fr) 22em; gap: 1em; }
        .panel { background: #fff; border: 1px solid #d5dbdb; border-radius: 6px; padding: 0.7em; margin-bottom: 0.8em; }
        .map-frame { background: #dfeaf2; border: 1px solid #d5dbdb; border-radius: 6px; overflow: hidden; position: relative; }
        .map-frame svg { width: 100%; height: 70vh; display: block; cursor: grab; touch-action: none; }
        .map-tools { position: absolute; right: 8px; top: 8px; display: flex; flex-direction: column; gap: 4px; }
        .map-tools button { width: 2em; height: 2em; }
        form label { display: block; margin: 0.3em 0; font-size: 0.9em; }
        input, select, button, textarea { font: inherit; }
        input[type=text], input[type=number], select, textarea { width: 100%; box-sizing: border-box; }
        button.primary { background: #1f618d; color: #fff; border: none; padding: 0.4em 1em; border-radius: 4px; }
        button:disabled { opacity: 0.5; }
        table { border-collapse: collapse; font-size: 0.85em; width: 100%; }
        th, td { border-bottom: 1px solid #e5e8e8; padding: 0.25em 0.4em; text-align: left; vertical-align: top; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
        .alternatives { display: flex; gap: 0.8em; overflow-x: auto; }
        .alternative { min-width: 18em; border-top: 5px solid #999; }
        .error { color: #922b21; white-space: pre-wrap; }
        .issues { color: #922b21; font-family: monospace; font-size: 0.85em; }
        .met { color: #1e8449; } .unmet { color: #922b21; }
        .progress { height: 1.2em; background: #e5e8e8; border-radius: 4px; overflow: hidden; }
        .progress > div { height: 100%; background: #27ae60; width: 0; transition: width 0.2s; }
        .exports a, .exports button { margin-right: 0.8em; font-size: 0.9em; }
        .muted { color: #717d7e; font-size: 0.85em; }
        """#
}
