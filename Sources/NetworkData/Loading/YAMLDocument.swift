import Foundation
internal import Yams

/// Reads a YAML file into a node tree, turning every read or parse failure into an issue.
enum YAMLDocument {
    /// Files larger than this are rejected before parsing.
    static let maximumBytes = 32 * 1024 * 1024
    /// Values, lists and mappings a file may hold once its aliases are expanded: an alias
    /// (`*name`) reads as a copy of its anchor's node, so a few megabytes reusing one anchor
    /// could otherwise make millions of records. The built-in network has about 80,000.
    static let maximumNodes = 1_000_000

    /// Parses `data` read from `file`; nil with an issue appended when it is not usable YAML.
    static func parse(_ data: Data, file: String, issues: inout [InputIssue]) -> Node? {
        let whole = SourceLocation(file: file, line: 1)
        guard data.count <= maximumBytes else {
            issues.append(.init(location: whole, field: "", message: "file is \(data.count) bytes; expected at most \(maximumBytes)"))
            return nil
        }
        guard var text = String(validating: data, as: UTF8.self) else {
            let line = lineOfFirstInvalidUTF8(in: data)
            issues.append(.init(location: .init(file: file, line: line), field: "",
                                message: "not UTF-8 text; expected a YAML file encoded as UTF-8"))
            return nil
        }
        // A UTF-8 byte-order mark is not YAML content (editors on Windows write one).
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if let nul = text.firstIndex(of: "\0") {
            let line = text[..<nul].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            issues.append(.init(location: .init(file: file, line: line), field: "",
                                message: "contains a NUL byte; expected YAML text"))
            return nil
        }
        do {
            // `.basic`: every scalar stays text. The readers convert each value themselves, and the
            // default resolver matched seven regular expressions against every scalar, and again
            // each time Yams hashed a mapping key to look for duplicates: about 40 % of a load.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                issues.append(.init(location: whole, field: "", message: "file is empty; expected a YAML mapping"))
                return nil
            }
            guard nodeCount(node, atMost: maximumNodes) <= maximumNodes else {
                issues.append(.init(location: whole, field: "", message: "has more than \(maximumNodes) YAML values once its aliases (*name) are expanded; expected at most \(maximumNodes) (an anchor reused too often?)"))
                return nil
            }
            return node
        } catch let error as YamlError {
            issues.append(describe(error, file: file))
            return nil
        } catch {
            issues.append(.init(location: whole, field: "", message: "cannot parse YAML: \(error)"))
            return nil
        }
    }

    /// The nodes of `root` with every alias expanded, counting no further than `limit + 1`.
    /// - Complexity: O(min(n, limit)) for n expanded nodes.
    static func nodeCount(_ root: Node, atMost limit: Int) -> Int {
        var count = 0
        var stack = [root]
        while let node = stack.popLast(), count <= limit {
            count += 1
            switch node {
            case .scalar, .alias: break
            case .sequence(let sequence): stack.append(contentsOf: sequence)
            case .mapping(let mapping):
                for (key, value) in mapping { stack.append(key); stack.append(value) }
            }
        }
        return count
    }

    private static func describe(_ error: YamlError, file: String) -> InputIssue {
        func issue(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> InputIssue {
            let what = context.map { "\(problem) \($0.text)" } ?? problem
            return InputIssue(location: .init(file: file, line: mark.line), field: "",
                              message: "malformed YAML at column \(mark.column): \(what)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): return issue(mark, problem, context)
        case .parser(let context, let problem, let mark, _): return issue(mark, problem, context)
        case .composer(let context, let problem, let mark, _): return issue(mark, problem, context)
        case .reader(let problem, let offset, _, let yaml):
            var line = 1
            if let offset { line = yaml.utf8.prefix(offset).reduce(1) { $1 == 10 ? $0 + 1 : $0 } }
            return InputIssue(location: .init(file: file, line: line), field: "",
                              message: "unreadable YAML: \(problem)")
        default:
            return InputIssue(location: .init(file: file, line: 1), field: "", message: "cannot parse YAML: \(error)")
        }
    }

    private static func lineOfFirstInvalidUTF8(in data: Data) -> Int {
        var line = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var consumedNewlines = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { consumedNewlines += 1 }
            case .emptyInput: return line + consumedNewlines
            case .error:
                line += consumedNewlines
                return line
            }
        }
    }
}
