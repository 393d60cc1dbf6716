import Routing
import NetworkData
import Collections

/// An event the ``EventQueue`` can order: its priority ranks it among events at the same time.
public protocol ScheduledEvent: Sendable {
    /// The rank type; lower ranks are taken first.
    associatedtype Priority: Comparable & Sendable
    /// The rank of this event among events at the same time (lower first).
    var priority: Priority { get }
}

/// The simulator's event queue, ordered by (time, priority, sequence): equal times break by
/// the events' priority, then by the order events were scheduled, so every run orders them the
/// same way. Time is in hours since the start of the simulated year (day 0, 00:00).
public struct EventQueue<Event>: Sendable where Event: ScheduledEvent {
    struct Entry: Comparable, Sendable {
        var time: Double
        var priority: Event.Priority
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

    /// Schedules `event` at `time` (not before now), ranked by its priority among events at that time.
    /// - Complexity: O(log n).
    public mutating func schedule(_ event: Event, at time: Double) {
        assert(time >= now - 1e-9, "an event scheduled in the past")
        sequence += 1
        heap.insert(Entry(time: max(time, now), priority: event.priority, sequence: sequence, event: event))
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

    /// The events not taken yet, in no particular order (for end-of-run accounting).
    /// - Complexity: O(n).
    public var pendingEvents: [Event] { heap.unordered.map(\.event) }
}
