import Foundation

/// A shipment's id, unique in a shipment list.
public struct ShipmentID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// One shipment to plan: where, how much, what, between which dates, for whom.
public struct Shipment: Hashable, Sendable {
    public var id: ShipmentID
    public var origin: PlaceCode
    public var destination: PlaceCode
    public var teu: Double
    public var tonnes: Double
    public var cargo: CargoClass
    /// First day the cargo can leave.
    public var ready: CalendarDay
    /// Last day it may arrive (end of that day).
    public var deadline: CalendarDay
    /// Cargo value, for the value of time in `balanced` plans.
    public var valueUSD: Double?
    public var shipper: String?
    public var consignee: String?
    public var descriptionOfGoods: String?
    /// Harmonized System code (6–10 digits).
    public var hsCode: String?
    /// Line in the input file.
    public var line: Int

    public init(id: ShipmentID, origin: PlaceCode, destination: PlaceCode, teu: Double, tonnes: Double, cargo: CargoClass,
                ready: CalendarDay, deadline: CalendarDay, valueUSD: Double? = nil, shipper: String? = nil,
                consignee: String? = nil, descriptionOfGoods: String? = nil, hsCode: String? = nil, line: Int = 0) {
        self.id = id
        self.origin = origin
        self.destination = destination
        self.teu = teu
        self.tonnes = tonnes
        self.cargo = cargo
        self.ready = ready
        self.deadline = deadline
        self.valueUSD = valueUSD
        self.shipper = shipper
        self.consignee = consignee
        self.descriptionOfGoods = descriptionOfGoods
        self.hsCode = hsCode
        self.line = line
    }
}
