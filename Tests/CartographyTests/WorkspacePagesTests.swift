import Cartography
import Foundation
import NetworkData
import Pages
import Testing
import TestFixtures

/// The workspace's pages: each links every section, fetches nothing from outside the workspace,
/// names CJK fonts, and carries the map where it needs one. (Their behaviour in a browser is
/// tested by docs/workspace/browser-test against the running server.)
@Suite("Workspace pages")
struct WorkspacePagesTests {
    let pages: WorkspacePages
    init() throws { pages = WorkspacePages(network: builtInNetwork, land: try LandOutline.builtIn()) }

    @Test(arguments: WorkspaceSection.allCases)
    func aPageIsSelfContained(_ section: WorkspaceSection) {
        let html = pages.html(section)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for other in WorkspaceSection.allCases { #expect(html.contains("href=\"\(other.path)\" data-section=\"\(other.rawValue)\"")) }
        #expect(html.contains("Noto Sans CJK SC"))
        // Nothing from the internet: no external scripts, styles, fonts or images.
        for pattern in ["src=\"http", "href=\"http", "url(http", "@import", "<link"] {
            #expect(!html.contains(pattern), "\(section): \(pattern)")
        }
        let hasMap = html.contains("id=\"network-map\"")
        #expect(hasMap == [.map, .route, .studies].contains(section), "\(section): map \(hasMap)")
    }

    @Test func theRoutePageHasItsFormAndExports() {
        let html = pages.html(.route)
        for id in ["route-form", "alternatives", "pareto", "export-route-json", "export-route-csv", "from-places", "layers"] {
            #expect(html.contains("id=\"\(id)\""), "\(id)")
        }
        for layer in MapLayer.allCases { #expect(html.contains("data-layer-toggle=\"\(layer.rawValue)\"")) }
    }
}
