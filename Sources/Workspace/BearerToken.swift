import Foundation
import Hummingbird

/// Requires `Authorization: Bearer TOKEN` on every request when the server has a token
/// (`--token-file`); a missing or wrong token gets 401 with a JSON error. The comparison takes
/// the same time wherever the first difference is.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Self.refusal("this server needs a bearer token: send the header 'Authorization: Bearer TOKEN' (the token of serve --token-file)")
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix else {
            throw Self.refusal("the Authorization header is not 'Bearer TOKEN'")
        }
        guard Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), token) else {
            throw Self.refusal("the bearer token is wrong")
        }
        return try await next(request, context)
    }

    static func refusal(_ message: String) -> APIError {
        var error = APIError(.unauthorized, message)
        error.headers[.wwwAuthenticate] = "Bearer realm=\"routeplanner\""
        return error
    }

    /// Whether `a` and `b` are equal, comparing every byte of the longer (no early exit).
    ///
    /// - Complexity: O(max(|a|, |b|)).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}

/// Reads the token of `--token-file`: the file's text without surrounding white space, at least
/// 16 characters of printable ASCII (a header can carry it).
public enum TokenFile {
    public static let shortestToken = 16
    public static let largestFile = 4096

    /// The token in `path`.
    ///
    /// - Throws: ``TokenFileError`` naming the file and what is wrong.
    /// - Complexity: O(size of the file), at most 4 KiB.
    public static func read(_ path: String) throws(TokenFileError) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw TokenFileError(message: "--token-file \(path): no such file")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw TokenFileError(message: "--token-file \(path): not a regular file")
        }
        if let size = attributes?[.size] as? Int, size > largestFile {
            throw TokenFileError(message: "--token-file \(path): \(size) bytes; expected a token of at most \(largestFile) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TokenFileError(message: "--token-file \(path): cannot be read as UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= shortestToken else {
            throw TokenFileError(message: "--token-file \(path): the token has \(token.count) characters; expected at least \(shortestToken)")
        }
        guard token.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw TokenFileError(message: "--token-file \(path): expected printable ASCII without spaces (a header carries it)")
        }
        return token
    }
}

/// A token file that cannot be used.
public struct TokenFileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
