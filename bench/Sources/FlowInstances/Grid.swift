/// GRIDGEN-shaped networks: a `width` × `height` grid, flow from a super source through the left
/// column to the right column and a super sink.
///
/// Arcs: both directions between horizontal and vertical neighbours, the two forward diagonals
/// (towards the right column), and random "shortcut" arcs between nodes at most `width / 8`
/// rows and columns apart, up to about 8 arcs per node. The super source feeds every node of the
/// left column and every node of the right column feeds the super sink (cost 0, uncapacitated).
/// Feasibility: every rightward horizontal arc can carry at least one row's share of the
/// supply, so each row alone carries its share across.
struct GridParameters {
    var width: Int
    var height: Int
    /// Supply of the super source per row of the grid.
    var supplyPerRow = 500
    var costs = 1...10_000
    var capacities = 1...1000
    /// Rightward horizontal arcs: at least the row's share, so the grid is feasible.
    var rightwardCapacities = 500...1500
    var arcsPerNode = 8

    /// A square grid of about `nodes` cells (plus the super source and sink): 32 × 32 for 1,024.
    init(nodes: Int) {
        let side = max(2, Int((Double(nodes).squareRoot()).rounded()))
        width = side
        height = side
    }
}

enum Grid {
    /// - Complexity: O(n + m).
    static func generate(_ p: GridParameters, seed: UInt64) -> FlowInstance {
        var random = SplitMix64(seed: seed)
        let cells = p.width * p.height
        let source = cells
        let sink = cells + 1
        let total = p.supplyPerRow * p.height
        var instance = FlowInstance(nodeCount: cells + 2, reservingArcs: p.arcsPerNode * cells + 2 * p.height)
        instance.supply[source] = total
        instance.supply[sink] = -total

        func cell(_ row: Int, _ column: Int) -> Int { row * p.width + column }
        func arc(_ from: Int, _ to: Int, capacities: ClosedRange<Int>? = nil) {
            instance.addArc(from, to, capacity: random.int(in: capacities ?? p.capacities), cost: random.int(in: p.costs))
        }

        for row in 0..<p.height {
            instance.addArc(source, cell(row, 0), capacity: total, cost: 0)
        }
        for row in 0..<p.height {
            for column in 0..<p.width {
                let here = cell(row, column)
                if column + 1 < p.width {
                    arc(here, cell(row, column + 1), capacities: p.rightwardCapacities)
                    if row > 0 { arc(here, cell(row - 1, column + 1)) }
                    if row + 1 < p.height { arc(here, cell(row + 1, column + 1)) }
                }
                if column > 0 { arc(here, cell(row, column - 1)) }
                if row > 0 { arc(here, cell(row - 1, column)) }
                if row + 1 < p.height { arc(here, cell(row + 1, column)) }
            }
        }
        for row in 0..<p.height {
            instance.addArc(cell(row, p.width - 1), sink, capacity: total, cost: 0)
        }
        // Shortcuts.
        let reach = max(2, p.width / 8)
        let target = p.arcsPerNode * cells + 2 * p.height
        while instance.arcCount < target {
            let row = random.index(p.height)
            let column = random.index(p.width)
            let toRow = row + random.int(in: -reach...reach)
            let toColumn = column + random.int(in: -reach...reach)
            guard (0..<p.height).contains(toRow), (0..<p.width).contains(toColumn),
                  abs(toRow - row) + abs(toColumn - column) > 1 else { continue }
            arc(cell(row, column), cell(toRow, toColumn))
        }
        instance.comments = [
            "GRIDGEN-like grid (bench FlowInstances grid), seed \(seed)",
            "\(p.width) x \(p.height) grid + super source \(source + 1) and super sink \(sink + 1), total supply \(total)",
            "costs \(p.costs.lowerBound)..\(p.costs.upperBound), capacities \(p.capacities.lowerBound)..\(p.capacities.upperBound) "
                + "(rightward \(p.rightwardCapacities.lowerBound)..\(p.rightwardCapacities.upperBound)), shortcuts within \(reach)",
        ]
        return instance
    }
}
