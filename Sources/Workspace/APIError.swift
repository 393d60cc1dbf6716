import Foundation
import Hummingbird
import NetworkData
import Reports

/// The body of every error the API answers (`Error` in openapi.yaml): what is wrong and, for a
/// file, each problem with its file, line and field as the command line prints them.
public struct APIErrorBody: Codable, Sendable, Equatable {
    /// One line: what is wrong and what would be right.
    public var error: String
    /// `file:line: field: message` for each problem of an uploaded file (at most 100).
    public var issues: [String]?
}

/// An error the API answers with a status and an ``APIErrorBody``.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var body: APIErrorBody
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, issues: [String]? = nil) {
        self.status = status
        body = APIErrorBody(error: message, issues: issues)
    }

    /// 422 for a file that was read but holds problems, each with its file:line.
    ///
    /// - Complexity: O(p) for the p problems shown (at most 100).
    public static func invalidFile(_ invalid: InvalidInput, what: String) -> APIError {
        var lines = invalid.issues.prefix(InvalidInput.maximumShown).map(\.description)
        if invalid.issues.count > InvalidInput.maximumShown {
            lines.append("… and \(invalid.issues.count - InvalidInput.maximumShown) more problems")
        }
        if let line = invalid.stoppedAtLine {
            lines.append("… stopped reading at line \(line) after \(invalid.issues.count) problems; mend these and run again")
        }
        let count = invalid.issues.count
        return APIError(.unprocessableContent, "\(what) is invalid (\(count) problem\(count == 1 ? "" : "s"))", issues: lines)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(body, status: status)
        response.headers.append(contentsOf: headers)
        return response
    }
}

/// Turns every error a handler throws into a JSON ``APIErrorBody``: the router's own 404 and
/// 405, a body over the limit (413), and — never expected — anything else as 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let clock = ContinuousClock()
            let started = clock.now
            var response = try await next(request, context)
            // The whole of the server's work on the request, beside the query's own (`route;dur`).
            if let timing = response.headers[Handlers.serverTiming] {
                let elapsed = clock.now - started
                let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                response.headers[Handlers.serverTiming] = timing + String(format: ", handler;dur=%.3f", milliseconds)
            }
            return response
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            // The router's own errors (no route, wrong method) and a body past the limit.
            let message: String = switch error.status {
            case .notFound: "no such resource: \(request.method) \(request.uri.path); see openapi.yaml for the endpoints"
            case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path); see openapi.yaml"
            case .contentTooLarge: "the request body is larger than the server's limit"
            default: (error as? HTTPError)?.body ?? error.status.reasonPhrase
            }
            return try APIError(error.status, message).response(from: request, context: context)
        } catch {
            context.logger.error("internal error on \(request.method) \(request.uri.path): \(error)")
            return try APIError(.internalServerError, "internal error (a bug): \(error)").response(from: request, context: context)
        }
    }
}

/// JSON responses in the contracts' one encoding (``ContractJSON``: sorted keys, compact here).
enum JSONResponse {
    static func make<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try ContractJSON.data(value, compact: true)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func raw(_ data: Data, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
