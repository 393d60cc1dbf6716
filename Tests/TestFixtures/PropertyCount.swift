import Foundation

/// How many random inputs a property test tries: `base`, times `PROPERTY_SCALE` when that
/// environment variable is a positive whole number (for a longer search by hand, e.g.
/// `PROPERTY_SCALE=20 swift test --filter Properties`; CI runs the base counts).
public func propertyCount(_ base: Int) -> Int {
    guard let text = ProcessInfo.processInfo.environment["PROPERTY_SCALE"], let scale = Int(text), scale > 0 else { return base }
    return base * scale
}
