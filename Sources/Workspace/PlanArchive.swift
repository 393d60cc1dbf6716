import Foundation
import NetworkData
import Reports

/// Plans made through the API, kept in memory for their bills: the last `capacity`, the oldest
/// forgotten first (a bill of a forgotten plan is 404; the plan's JSON holds everything to
/// rebuild it with `routeplanner bill --plan`).
actor PlanArchive {
    struct Entry {
        var report: PlanReport
        var saved: SavedPlan
    }

    private let capacity: Int
    private var order: [String] = []
    private var entries: [String: Entry] = [:]

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Keeps `entry` under a new id and returns the id.
    func keep(_ entry: Entry) -> String {
        let id = UUID().uuidString.lowercased()
        entries[id] = entry
        order.append(id)
        while order.count > capacity { entries[order.removeFirst()] = nil }
        return id
    }

    func entry(_ id: String) -> Entry? { entries[id] }
}
