import Foundation
import Hummingbird
import Pages
import Studies

/// The workspace's HTML pages and the results database download, beside the JSON API.
extension WorkspaceServer {
    func addPages(to router: Router<BasicRequestContext>) {
        for section in WorkspaceSection.allCases {
            let html = ByteBuffer(string: pages.html(section))
            // A page's query is its permalink state (read by its script), never by the server.
            router.get(RouterPath(stringLiteral: section.path)) { _, _ in
                Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                                body: ResponseBody(byteBuffer: html))
            }
        }
    }

    /// `GET /api/studies/database`: the results database as a file (a consistent SQLite backup).
    static func database(_ request: Request, store: ResultsStore) throws -> Response {
        _ = try QueryParameters(request.uri.query, allowed: [])
        let data: Data
        do { data = try store.snapshot() } catch {
            throw APIError(.serviceUnavailable, "the results database cannot be read: \(error.message)")
        }
        let name = URL(fileURLWithPath: store.path).lastPathComponent
        return Response(status: .ok, headers: [.contentType: "application/vnd.sqlite3",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
