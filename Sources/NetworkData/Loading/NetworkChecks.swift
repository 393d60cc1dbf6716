/// Checks that span records: uniqueness, references, and connectivity.
struct NetworkChecks {
    let network: Network
    let sink: YAMLRecord.IssueSink

    func run() {
        checkUniqueness()
        let before = sink.issues.count
        checkReferences()
        // Unreachable places follow from broken references; report them only once those are fixed.
        if sink.issues.count == before { checkConnectivity() }
        checkHubAndTargets()
    }

    private func add(_ location: SourceLocation, _ field: String, _ message: String) {
        sink.issues.append(InputIssue(location: location, field: field, message: message))
    }

    private func checkUniqueness() {
        var seenPlaces: [PlaceCode: Place] = [:]
        for place in network.places {
            if let first = seenPlaces[place.code] {
                add(place.location, "places[\(place.code)].code", "value '\(place.code)' is already used by the place at \(first.location); expected a unique code")
            } else {
                seenPlaces[place.code] = place
            }
        }
        var seenServices: [ServiceID: Service] = [:]
        for service in network.services {
            if let first = seenServices[service.id] {
                add(service.location, "services[\(service.id)].id", "value '\(service.id)' is already used by the service at \(first.location); expected a unique id")
            } else {
                seenServices[service.id] = service
            }
        }
        var seenTargets: [String: Target] = [:]
        for target in network.targets {
            if let first = seenTargets[target.id] {
                add(target.location, "targets[\(target.id)].id", "value '\(target.id)' is already used by the target at \(first.location); expected a unique id")
            } else {
                seenTargets[target.id] = target
            }
        }
        var names: [String: Place] = [:]
        for place in network.places {
            var own = Set(place.aliases.map { $0.lowercased() })
            if let iata = place.iata { own.insert(iata.lowercased()) }
            for name in own {
                if let other = names[name], other.code != place.code {
                    add(place.location, "places[\(place.code)].aliases", "name '\(name)' also names \(other.label) at \(other.location); expected each alias to name one place")
                } else {
                    names[name] = place
                }
                if let codeOwner = seenPlaces[PlaceCode(name.uppercased())], codeOwner.code != place.code {
                    add(place.location, "places[\(place.code)].aliases", "name '\(name)' is the code of \(codeOwner.label); expected an alias that is no other place's code")
                }
            }
        }
    }

    private func closest(_ code: PlaceCode) -> String {
        let distances = network.places.map { ($0.code, editDistance($0.code.rawValue, code.rawValue)) }
        let best = distances.map(\.1).min() ?? .max
        let ranked = distances.filter { $0.1 == best && best <= 2 }.sorted { $0.0 < $1.0 }.prefix(3)
        return ranked.isEmpty ? "" : " (closest: \(ranked.map(\.0.rawValue).joined(separator: ", ")))"
    }

    private func checkReferences() {
        for service in network.services where !service.isReverse {
            for (field, code) in [("from", service.from), ("to", service.to)] where network.place(code) == nil {
                let at = SourceLocation(file: service.location.file, line: service.fieldLines[field] ?? service.location.line)
                add(at, "services[\(service.id)].\(field)",
                    "unknown place '\(code)'\(closest(code)); expected a place code defined in the network")
            }
        }
        for place in network.places {
            guard let city = place.city else { continue }
            guard let target = network.place(city) else {
                add(SourceLocation(file: place.location.file, line: place.fieldLines["city"] ?? place.location.line),
                    "places[\(place.code)].city", "unknown place '\(city)'\(closest(city)); expected the code of a city place")
                continue
            }
            if target.kind != .city {
                add(place.location, "places[\(place.code)].city", "'\(city)' is a \(target.kind.rawValue); expected a place of kind city")
            }
            if place.kind == .city {
                add(place.location, "places[\(place.code)].city", "a city cannot belong to another city; expected no city field on kind city")
            }
        }
    }

    /// The hub names known cities and an airport; each target's KPI finds what it counts in the hub.
    private func checkHubAndTargets() {
        if let hub = network.hub {
            let citiesAt = SourceLocation(file: hub.location.file, line: hub.fieldLines["cities"] ?? hub.location.line)
            for city in hub.cities {
                guard let place = network.place(city) else {
                    add(citiesAt, "hub.cities", "unknown place '\(city)'\(closest(city)); expected the code of a city place")
                    continue
                }
                if place.kind != .city { add(citiesAt, "hub.cities", "'\(city)' is a \(place.kind.rawValue); expected a place of kind city") }
            }
            if let airport = hub.airport {
                let at = SourceLocation(file: hub.location.file, line: hub.fieldLines["airport"] ?? hub.location.line)
                if let place = network.place(airport) {
                    if place.kind != .airport { add(at, "hub.airport", "'\(airport)' is a \(place.kind.rawValue); expected a place of kind airport") }
                } else {
                    add(at, "hub.airport", "unknown place '\(airport)'\(closest(airport)); expected the code of an airport place")
                }
            }
        }
        for target in network.targets {
            let missing: String? = switch target.kpi.hubRequirement {
            case .none: nil
            case .places: network.hub == nil ? "a hub (hub: {name, cities, source})" : nil
            case .airport: network.hub?.airport == nil ? "a hub with an airport" : nil
            case .timedJourney: network.hub?.timedJourney == nil ? "a hub with a timedJourney" : nil
            }
            guard let missing else { continue }
            let at = SourceLocation(file: target.location.file, line: target.fieldLines["kpi"] ?? target.location.line)
            add(at, "targets[\(target.id)].kpi", "'\(target.kpi.rawValue)' is counted from the network's hub, which names none of it; expected \(missing)")
        }
    }

    /// Every place must be on a service or a city link, and all of them in one connected piece.
    private func checkConnectivity() {
        var neighbours: [PlaceCode: Set<PlaceCode>] = [:]
        func link(_ a: PlaceCode, _ b: PlaceCode) {
            guard network.place(a) != nil, network.place(b) != nil else { return }
            neighbours[a, default: []].insert(b)
            neighbours[b, default: []].insert(a)
        }
        for service in network.services { link(service.from, service.to) }
        for place in network.places { if let city = place.city { link(place.code, city) } }
        var component: [PlaceCode: Int] = [:]
        var sizes: [Int] = []
        for place in network.places.sorted(by: { $0.code < $1.code }) where component[place.code] == nil {
            let id = sizes.count
            var stack = [place.code]
            component[place.code] = id
            var size = 0
            while let code = stack.popLast() {
                size += 1
                for next in neighbours[code] ?? [] where component[next] == nil {
                    component[next] = id
                    stack.append(next)
                }
            }
            sizes.append(size)
        }
        guard let largest = sizes.indices.max(by: { sizes[$0] < sizes[$1] }) else { return }
        for place in network.places where component[place.code] != largest {
            if neighbours[place.code, default: []].isEmpty {
                add(place.location, "places[\(place.code)]", "place '\(place.code)' is unreachable: no service or city link touches it; expected at least one service from or to it")
            } else {
                add(place.location, "places[\(place.code)]", "place '\(place.code)' is unreachable: its services connect it only to \(sizes[component[place.code]!] - 1) other place(s), not to the rest of the network; expected a link to the main network")
            }
        }
    }
}
