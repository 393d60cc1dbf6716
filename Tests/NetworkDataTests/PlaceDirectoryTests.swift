import Foundation
import NetworkData
import Testing
import TestFixtures

@Suite("Place lookup: cities as zones")
struct PlaceDirectoryTests {
    let directory = PlaceDirectory(network: builtInNetwork)

    func found(_ query: String) -> PlaceCode? {
        if case .found(let place) = directory.match(query) { return place.code }
        return nil
    }

    @Test func typingACityFindsTheCity() {
        #expect(found("Singapore") == "SGSIN-CITY")
        #expect(found("Jakarta") == "IDJKT-CITY")
        #expect(found("chongqing") == "CNCQI")
        #expect(found("Ho Chi Minh City") == "VNSGN")
    }

    @Test func aCityWinsOverItsOwnTerminalOfTheSameName() {
        // "Almaty", "Moscow", "Budapest" are also aliases of the cities' rail terminals.
        for (name, city) in [("Almaty", "KZALA-CITY"), ("Moscow", "RUMOW-CITY"), ("Budapest", "HUBUD-CITY"), ("Tashkent", "UZTAS-CITY")] {
            let place = builtInNetwork.places.first { $0.name == name || $0.aliases.contains(name) && $0.kind != .city }
            #expect(place != nil, "\(name) names no terminal; the test no longer checks the rule")
            #expect(found(name) == PlaceCode(rawValue: city))
        }
    }

    @Test func terminalsStayReachableByTheirOwnNamesAndCodes() {
        #expect(found("Changi") == "SGSIN-SIN")
        #expect(found("SGSIN") == "SGSIN")
        #expect(found("Tanjung Priok") == "IDJKT")
        #expect(found("Haiphong") == "VNHPH")
    }

    @Test func everyCityWithTerminalsIsFoundByItsName() {
        let cities = builtInNetwork.places.filter { city in
            city.kind == .city && builtInNetwork.places.contains { $0.city == city.code }
        }
        #expect(cities.count >= 20)
        for city in cities {
            #expect(found(city.name) == city.code, "typing '\(city.name)' should find the city \(city.code)")
        }
    }

    @Test func ambiguityListsEachCityOnceAndNotItsTerminals() {
        // "ngha" fits Shanghai (and its port and airport) and Taicang port (Shanghai Port …); three
        // letters ("hai") are too few to pick by part of a name and only make suggestions.
        guard case .ambiguous(let candidates) = directory.match("ngha") else {
            Issue.record("expected 'ngha' to be ambiguous"); return
        }
        let codes = Set(candidates.map(\.code))
        #expect(codes.contains("CNSGH"))
        #expect(!codes.contains("CNSHG") && !codes.contains("CNPVG"), "Shanghai's terminals are listed beside Shanghai")
        #expect(codes.count > 1)
    }

    /// A directory built once and handed to the CSV readers (as the fuzz harness does for every
    /// input) resolves names, and reports unknown ones, exactly as the one each reader builds.
    @Test func aDirectoryHandedToTheCSVReadersResolvesAsTheirOwn() throws {
        let header = "id,origin,destination,teu,cargo,ready,deadline\n"
        let known = header + "S1,Chongqing,Duisburg,2,general,2027-03-01,2027-04-30\n"
        let unknown = header + "S1,Chongking,DEDUI,2,general,2027-03-01,2027-04-30\n"
        func shipments(_ csv: String, _ directory: PlaceDirectory?) -> String {
            do {
                let list = try ShipmentList.parse(Data(csv.utf8), file: "s.csv", network: builtInNetwork, directory: directory)
                return list.map { "\($0.origin)→\($0.destination)" }.joined(separator: ",")
            } catch { return error.description }
        }
        #expect(shipments(known, nil) == "CNCQI→DEDUI")
        #expect(shipments(known, directory) == shipments(known, nil))
        #expect(shipments(unknown, nil).contains("Chongking"), "the unknown name is not reported; the test no longer checks it")
        #expect(shipments(unknown, directory) == shipments(unknown, nil))

        let demand = FileManager.default.temporaryDirectory.appendingPathComponent("routeplanner-directory-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: demand) }
        try Data("""
            origin,destination,cargo,teuPerYear,tonnesPerYear,shipmentSize,seasonality,corridor,transit,source
            Chongqing,Duisburg,general,1000,,6,,chinaEurope,false,estimate: test row

            """.utf8).write(to: demand)
        let own = try DemandTable.load(demand, network: builtInNetwork)
        #expect(own.map(\.origin) == ["CNCQI"])
        #expect(try DemandTable.load(demand, network: builtInNetwork, directory: directory) == own)
    }
}
