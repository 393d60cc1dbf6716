import MinCostFlow
import CGLPK

/// The owner of one `glp_graph` laid out for min-cost flow: not copyable, not `Sendable`,
/// confined to its creating thread (checked on every call), deleted in `deinit`.
///
/// Vertex data (16 bytes): supply (rhs) at offset 0, potential at 8.
/// Arc data (24 bytes): capacity at 0, unit cost at 8, flow at 16. Lower bounds are not
/// stored: callers shift them out, so GLPK sees 0.
struct GLPKGraph: ~Copyable {
    private static let rhsOffset: Int32 = 0
    private static let potentialOffset: Int32 = 8
    private static let vertexSize: Int32 = 16
    private static let capacityOffset: Int32 = 0
    private static let costOffset: Int32 = 8
    private static let flowOffset: Int32 = 16
    private static let arcSize: Int32 = 24

    private let raw: UnsafeMutablePointer<glp_graph>
    private let confinement: ThreadConfinement
    private var arcPointers: [UnsafeMutablePointer<glp_arc>] = []

    /// Creates a graph with `vertexCount` vertices (numbered 0..<vertexCount in Swift).
    ///
    /// - Precondition: 1 ≤ vertexCount ≤ 10^8.
    init(vertexCount: Int) {
        precondition((1...GLPKLimits.maxRowsOrColumns).contains(vertexCount), "vertex count \(vertexCount) out of range")
        confinement = ThreadConfinement()
        _ = glp_term_out(GLP_OFF)
        raw = glp_create_graph(Self.vertexSize, Self.arcSize)
        _ = glp_add_vertices(raw, Int32(vertexCount))
    }

    deinit {
        confinement.check("glp_delete_graph")
        glp_delete_graph(raw)
    }

    private func graph(_ operation: StaticString = #function) -> UnsafeMutablePointer<glp_graph> {
        confinement.check(operation)
        return raw
    }

    private func vertexData(_ node: Int) -> UnsafeMutableRawPointer {
        let g = graph()
        precondition((0..<Int(g.pointee.nv)).contains(node), "vertex \(node) out of range")
        return g.pointee.v[node + 1]!.pointee.data!
    }

    /// Sets the supply (GLPK's rhs) of a vertex.
    func setSupply(_ value: Double, ofNode node: Int) {
        vertexData(node).storeBytes(of: value, toByteOffset: Int(Self.rhsOffset), as: Double.self)
    }

    /// Adds an arc with lower bound 0 and returns its 0-based index.
    ///
    /// - Precondition: tail ≠ head, both in range (GLPK aborts otherwise, and okalg
    ///   rejects self-loops).
    @discardableResult
    mutating func addArc(tail: Int, head: Int, capacity: Double, unitCost: Double) -> Int {
        let g = graph()
        precondition(tail != head, "self-loops must not reach glp_mincost_okalg")
        precondition((0..<Int(g.pointee.nv)).contains(tail) && (0..<Int(g.pointee.nv)).contains(head))
        let arc = glp_add_arc(g, Int32(tail + 1), Int32(head + 1))!
        let data = arc.pointee.data!
        data.storeBytes(of: capacity, toByteOffset: Int(Self.capacityOffset), as: Double.self)
        data.storeBytes(of: unitCost, toByteOffset: Int(Self.costOffset), as: Double.self)
        data.storeBytes(of: 0.0, toByteOffset: Int(Self.flowOffset), as: Double.self)
        arcPointers.append(arc)
        return arcPointers.count - 1
    }

    /// Runs `glp_mincost_okalg` and returns its code (0, `GLP_ENOPFS`, `GLP_EDATA`,
    /// `GLP_ERANGE` or `GLP_EFAIL`).
    ///
    /// - Complexity: pseudo-polynomial: O(m · U) augmentations of O(n + m) each, for U the
    ///   largest capacity or supply.
    func runOutOfKilter() -> Int32 {
        glp_mincost_okalg(
            graph(), Self.rhsOffset, -1, Self.capacityOffset, Self.costOffset,
            nil, Self.flowOffset, Self.potentialOffset)
    }

    /// The flow on arc `index` after ``runOutOfKilter()``.
    func flow(ofArc index: Int) -> Double {
        confinement.check("flow(ofArc:)")
        return arcPointers[index].pointee.data!.loadUnaligned(fromByteOffset: Int(Self.flowOffset), as: Double.self)
    }

    /// The potential of `node` after ``runOutOfKilter()``, as GLPK stores it (the Lagrange
    /// multiplier of the node's conservation row).
    func potential(ofNode node: Int) -> Double {
        vertexData(node).loadUnaligned(fromByteOffset: Int(Self.potentialOffset), as: Double.self)
    }
}

@available(*, unavailable, message: "a GLPK graph is confined to the thread that created it")
extension GLPKGraph: Sendable {}
