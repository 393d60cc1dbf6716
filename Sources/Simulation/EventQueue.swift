import Routing
import NetworkData

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
        @inline(__always)
        static func < (a: Entry, b: Entry) -> Bool {
            if a.time != b.time { return a.time < b.time }
            if a.priority != b.priority { return a.priority < b.priority }
            return a.sequence < b.sequence
        }
        static func == (a: Entry, b: Entry) -> Bool { (a.time, a.priority, a.sequence) == (b.time, b.priority, b.sequence) }
    }

    /// A binary min-heap in an array (entry i's children at 2i + 1 and 2i + 2). The keys are
    /// unique (the sequence breaks every tie), so any correct heap takes events in the same order;
    /// this one compares less than the min-max heap it replaced.
    private var heap: ContiguousArray<Entry> = []
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
        let entry = Entry(time: max(time, now), priority: event.priority, sequence: sequence, event: event)
        heap.append(entry)
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard entry < h[parent] else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = entry
        }
    }

    /// Takes the next event and advances the clock to it.
    /// - Complexity: O(log n).
    public mutating func next() -> (time: Double, event: Event)? {
        guard let last = heap.popLast() else { return nil }
        var entry = last
        if !heap.isEmpty {
            entry = heap[0]
            heap.withUnsafeMutableBufferPointer { h in
                let n = h.count
                var i = 0
                while true {
                    var child = 2 * i + 1
                    guard child < n else { break }
                    if child + 1 < n && h[child + 1] < h[child] { child += 1 }
                    guard h[child] < last else { break }
                    h[i] = h[child]
                    i = child
                }
                h[i] = last
            }
        }
        assert(entry.time >= now, "time went back")
        now = entry.time
        eventsTaken += 1
        return (entry.time, entry.event)
    }

    /// The events not taken yet, in no particular order (for end-of-run accounting).
    /// - Complexity: O(n).
    public var pendingEvents: [Event] { heap.map(\.event) }
}
