/// What a route is optimised for.
public enum Objective: String, CaseIterable, Sendable, Codable {
    /// Lowest price in USD.
    case cost
    /// Fewest door-to-door hours.
    case time
    /// Least CO2e.
    case co2
    /// Generalised cost: price + value of time × hours × TEU + carbon price × tonnes CO2e.
    case balanced
}
