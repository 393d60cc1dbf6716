import Foundation
import NetworkData
import Routing

/// A four-place network small enough to price by hand (see the expected totals in each test).
public let handPricedNetwork = """
network: hand-priced
tonnesPerTEU: 10
defaults:
  handling: {hours: 6, costUSDPerTEU: 45}
  connectionHours: 2
source: "estimate: hand-made test network priced by hand"
places:
  - {code: CNAAA, name: Alpha, country: CN, lonLat: [106, 29], kind: city, aliases: [Alpha City], source: "estimate: hand-made test value"}
  - {code: CNAAR, name: Alpha rail, country: CN, lonLat: [106.1, 29], kind: railTerminal, city: CNAAA,
     cityAccess: {distanceKm: 10, hours: 1, costUSDPerTEU: 50}, handling: {hours: 2, costUSDPerTEU: 20}, source: "estimate: hand-made test value"}
  - {code: CNAAP, name: Alpha port, country: CN, lonLat: [106.2, 29], kind: riverPort, city: CNAAA,
     cityAccess: {distanceKm: 5, hours: 0.5, costUSDPerTEU: 40}, handling: {hours: 3, costUSDPerTEU: 25}, source: "estimate: hand-made test value"}
  - {code: CNBBB, name: Border, country: CN, lonLat: [80, 45], kind: borderCrossing, dwell: {meanHours: 5, p90Hours: 10},
     gaugeChange: {gaugesMm: [1435, 1520], hours: 1, costUSDPerTEU: 30}, source: "estimate: hand-made test value"}
  - {code: DEDDD, name: Delta, country: DE, lonLat: [6.7, 51.4], kind: railTerminal, source: "estimate: hand-made test value"}
  - {code: NLSSS, name: Sea port, country: NL, lonLat: [4, 51.9], kind: seaport, handling: {hours: 4, costUSDPerTEU: 35}, source: "estimate: hand-made test value"}
services:
  - {id: R1, name: Rail one, mode: rail, corridor: chinaEurope, from: CNAAR, to: CNBBB, distanceKm: 1000,
     transitHours: {mean: 20, p90: 30}, departuresPerWeek: 7, capacityTEUPerDeparture: 100, priceUSDPerTEU: 500,
     co2eGramsPerTonneKm: 20, cargo: [general, reefer], source: "estimate: hand-made test value"}
  - {id: R2, name: Rail two, mode: rail, corridor: chinaEurope, from: CNBBB, to: DEDDD, distanceKm: 2000,
     transitHours: {mean: 40, p90: 60}, departuresPerWeek: 14, capacityTEUPerDeparture: 80, priceUSDPerTEU: 700,
     co2eGramsPerTonneKm: 20, cargo: [general, reefer], source: "estimate: hand-made test value"}
  - {id: W1, name: Sea one, mode: sea, corridor: ocean, from: CNAAP, to: NLSSS, distanceKm: 20000,
     transitHours: {mean: 700, p90: 800}, departuresPerWeek: 1, capacityTEUPerDeparture: 500, priceUSDPerTEU: 800,
     co2eGramsPerTonneKm: 10, cargo: [general, dangerous], source: "estimate: hand-made test value"}
  - {id: T1, name: Truck one, mode: road, corridor: domestic, from: NLSSS, to: DEDDD, distanceKm: 200,
     transitHours: {mean: 4, p90: 6}, departuresPerWeek: 84, capacityTEUPerDeparture: 2, priceUSDPerTEU: 300,
     co2eGramsPerTonneKm: 80, cargo: [general, dangerous, reefer], source: "estimate: hand-made test value"}
"""

/// The built-in network, loaded once per test process.
public let builtInNetwork: Network = {
    guard let url = BuiltInNetwork.manifestURL() else { fatalError("built-in network not found") }
    do { return try NetworkLoader.load(manifest: url) } catch { fatalError("built-in network invalid:\n\(error)") }
}()

/// The built-in network with the Red Sea open: a copy of its manifest that also includes
/// `ocean-suez.yaml`, the pre-crisis Suez loops the 2025 network leaves out.
public let redSeaOpenNetwork: Network = {
    guard let url = BuiltInNetwork.manifestURL() else { fatalError("built-in network not found") }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("red-sea-open-\(UUID().uuidString)")
    do {
        try FileManager.default.copyItem(at: url.deletingLastPathComponent(), to: folder)
        let manifest = folder.appendingPathComponent(url.lastPathComponent)
        let text = try String(contentsOf: manifest, encoding: .utf8)
        guard text.contains("\n  - ocean.yaml\n") else { fatalError("the built-in manifest no longer includes ocean.yaml") }
        try text.replacingOccurrences(of: "\n  - ocean.yaml\n", with: "\n  - ocean.yaml\n  - ocean-suez.yaml\n")
            .write(to: manifest, atomically: true, encoding: .utf8)
        return try NetworkLoader.load(manifest: manifest)
    } catch { fatalError("red-sea-open network invalid:\n\(error)") }
}()

/// A router over ``handPricedNetwork``.
public func handPricedRouter() throws -> Router {
    Router(network: try NetworkLoader.load(yaml: handPricedNetwork))
}
