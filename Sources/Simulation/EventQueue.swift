import Routing
import NetworkData
import Collections

/// The simulator's event queue, ordered by (time, priority, sequence): equal times break by
/// priority, then by the order events were scheduled, so every run orders them the same way.
/// Time is in hours since the start of the simulated year (day 0, 00:00).
public struct EventQueue<Event>: Sendable where Event: Sendable {
    struct Entry: Comparable, Sendable {
        var time: Double
        var priority: Int
        var sequence: Int
        var event: Event
        static func < (a: Entry, b: Entry) -> Bool { (a.time, a.priority, a.sequence) < (b.time, b.priority, b.sequence) }
        static func == (a: Entry, b: Entry) -> Bool { (a.time, a.priority, a.sequence) == (b.time, b.priority, b.sequence) }
    }

    private var heap = Heap<Entry>()
    private var sequence = 0
    /// The time of the last event taken; never decreases.
    public private(set) var now = 0.0
    /// Events taken so far.
    public private(set) var eventsTaken = 0

    public init() {}

    public var isEmpty: Bool { heap.isEmpty }
    public var count: Int { heap.count }

    /// Schedules `event` at `time` (not before now).
    /// - Complexity: O(log n).
    public mutating func schedule(_ event: Event, at time: Double, priority: Int = 0) {
        assert(time >= now - 1e-9, "an event scheduled in the past")
        sequence += 1
        heap.insert(Entry(time: max(time, now), priority: priority, sequence: sequence, event: event))
    }

    /// Takes the next event and advances the clock to it.
    /// - Complexity: O(log n).
    public mutating func next() -> (time: Double, event: Event)? {
        guard let entry = heap.popMin() else { return nil }
        assert(entry.time >= now, "time went back")
        now = entry.time
        eventsTaken += 1
        return (entry.time, entry.event)
    }
}
