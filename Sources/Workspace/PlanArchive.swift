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
    private let concurrentPlans: Int
    private var planning = 0
    private var order: [String] = []
    private var entries: [String: Entry] = [:]

    init(capacity: Int, concurrentPlans: Int) {
        self.capacity = max(1, capacity)
        self.concurrentPlans = max(1, concurrentPlans)
    }

    /// Takes one of the plan slots, or refuses with 429 when all are planning.
    func reserve() throws(APIError) {
        guard planning < concurrentPlans else {
            var error = APIError(.tooManyRequests, "\(planning) plans are being made (the server's limit); try again when one is done")
            error.headers[.retryAfter] = "5"
            throw error
        }
        planning += 1
    }

    /// Gives back a slot taken by ``reserve()``.
    func release() { planning -= 1 }

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
