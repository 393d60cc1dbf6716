import Foundation
import NetworkData
import Planning
import Simulation
import Routing
import Markup

/// One measured figure of a run, with the target it is checked against, if any.
public struct KPIValue: Sendable, Hashable, Codable {
    /// `simulate.chinaEuropeTrains`, `plan.totalCostUSD`, `target.chinaEuropeTrainsPerYear`, …
    public var name: String
    /// nil when the run had nothing to measure (stored as NULL, shown as "not measured"; never 0).
    public var value: Double?
    public var target: Double?
    /// `atLeast` or `atMost` for targets.
    public var comparison: String?
    public var met: Bool?
    /// Why nothing was measured (`value` nil).
    public var reason: String?

    public init(name: String, value: Double?, target: Double? = nil, comparison: String? = nil, met: Bool? = nil,
                reason: String? = nil) {
        self.name = name
        self.value = value
        self.target = target
        self.comparison = comparison
        self.met = met
        self.reason = value == nil ? reason : nil
    }
}

/// What a finished run measured.
public struct RunMeasurement: Sendable {
    public var kpis: [KPIValue]
    /// The simulation's binding bottleneck, if it ran.
    public var bottleneck: String?
}

/// Runs a scenario's engines and collects their KPIs.
public enum ScenarioExecution {
    /// Builds the inputs, runs `simulate` and/or `plan`, and returns every KPI.
    ///
    /// - Throws: ``InvalidInput`` for a bad referenced file; ``PlanningError`` when the planner fails.
    /// - Complexity: one simulation of `days` days and/or one batch plan.
    /// - Parameter monitor: watches the simulation (progress by simulated day, cooperative cancel).
    /// - Throws: also ``SimulationCancelled`` when `monitor` cancels the simulation.
    public static func run(_ scenario: Scenario, grid: GridAssignment, networks: NetworkCache,
                           monitor: SimulationMonitor? = nil) throws -> RunMeasurement {
        let inputs = try scenario.inputs(grid: grid, networks: networks)
        var kpis: [KPIValue] = []
        var bottleneck: String?
        if scenario.engines.contains(.simulate) {
            let simulator = Simulator(network: inputs.network, lanes: inputs.lanes, disruptions: inputs.disruptions,
                                      options: inputs.simulation)
            let result = try monitor.map { monitor throws(SimulationCancelled) in try simulator.run(monitor: monitor) } ?? simulator.run()
            kpis += simulationKPIs(result)
            bottleneck = result.bottleneck
        }
        if let planning = inputs.planning {
            let plan = try BatchPlanner(network: inputs.network).plan(planning.shipments, options: planning.options)
            kpis += planKPIs(plan)
        }
        return RunMeasurement(kpis: kpis.filter { $0.value?.isFinite ?? true }, bottleneck: bottleneck)
    }

    static func simulationKPIs(_ result: SimulationResult) -> [KPIValue] {
        var kpis = result.kpis.map { KPIValue(name: "simulate.\($0.key)", value: $0.value) }
        kpis += result.unmeasuredKPIs.sorted { $0.key < $1.key }.map {
            KPIValue(name: "simulate.\($0.key)", value: nil, reason: $0.value)
        }
        for target in result.targets {
            kpis.append(KPIValue(name: "target.\(target.name)", value: target.value, target: target.target,
                                 comparison: target.comparison, met: target.met, reason: target.reason))
        }
        // Sums run over sorted keys so that every process gets the same last bit.
        var weightedCost = 0.0, weightedCO2 = 0.0, delivered = 0.0
        for (corridor, cost) in result.costPerTEU.sorted(by: { $0.key < $1.key }) {
            kpis.append(KPIValue(name: "simulate.costUSDPerTEU.\(corridor)", value: cost))
            let teu = result.kpis["deliveredTEU.\(corridor)"] ?? 0
            weightedCost += cost * teu
            delivered += teu
            if let co2 = result.co2PerTEU[corridor] { weightedCO2 += co2 * teu }
        }
        for (corridor, co2) in result.co2PerTEU {
            kpis.append(KPIValue(name: "simulate.co2eKgPerTEU.\(corridor)", value: co2))
        }
        if delivered > 0 {
            kpis.append(KPIValue(name: "simulate.costUSDPerTEU", value: weightedCost / delivered))
            kpis.append(KPIValue(name: "simulate.co2eKgPerTEU", value: weightedCO2 / delivered))
        }
        kpis.append(KPIValue(name: "simulate.bottleneckDelayTEUHours", value: result.bottleneckDelayTEUHours))
        for queue in result.queues {
            let prefix = "simulate.queue.\(queue.place)"
            kpis.append(KPIValue(name: "\(prefix).vehicles", value: Double(queue.vehicles)))
            kpis.append(KPIValue(name: "\(prefix).meanWaitHours", value: queue.meanWaitHours))
            kpis.append(KPIValue(name: "\(prefix).p90WaitHours", value: queue.p90WaitHours))
            kpis.append(KPIValue(name: "\(prefix).maxWaitHours", value: queue.maxWaitHours))
            kpis.append(KPIValue(name: "\(prefix).maxQueueLength", value: Double(queue.maxQueueLength)))
        }
        for (route, weeks) in result.trainsPerWeek {
            kpis.append(KPIValue(name: "simulate.trains.\(route)", value: Double(weeks.reduce(0, +))))
        }
        kpis.append(KPIValue(name: "simulate.events", value: Double(result.eventCount)))
        return kpis
    }

    static func planKPIs(_ plan: Plan) -> [KPIValue] {
        let teu = plan.shipments.reduce(0.0) { $0 + $1.shipment.teu }
        let unmet = plan.shipments.reduce(0.0) { $0 + $1.unmetTEU }
        let carried = teu - unmet
        let cost = plan.shipments.reduce(0.0) { $0 + $1.costUSD }
        let co2 = plan.shipments.reduce(0.0) { $0 + $1.co2eKg }
        func count(_ status: ShipmentStatus) -> Double { Double(plan.shipments.filter { $0.status == status }.count) }
        var kpis = [
            KPIValue(name: "plan.shipments", value: Double(plan.shipments.count)),
            KPIValue(name: "plan.shipmentsPlanned", value: count(.planned)),
            KPIValue(name: "plan.shipmentsPartial", value: count(.partial)),
            KPIValue(name: "plan.shipmentsUnmet", value: count(.unmet)),
            KPIValue(name: "plan.plannedTEU", value: carried),
            KPIValue(name: "plan.unmetTEU", value: unmet),
            KPIValue(name: "plan.routeCostUSD", value: cost),
            KPIValue(name: "plan.objectiveUSD", value: plan.totalCostUSD),
            KPIValue(name: "plan.bindingServices", value: Double(plan.services.filter { $0.dualUSDPerTEU > 1e-6 }.count)),
            KPIValue(name: "plan.iterations", value: Double(plan.iterations)),
        ]
        if carried > 0 {
            kpis.append(KPIValue(name: "plan.costUSDPerTEU", value: cost / carried))
            kpis.append(KPIValue(name: "plan.co2eKgPerTEU", value: co2 / carried))
        }
        if let bound = plan.lowerBound { kpis.append(KPIValue(name: "plan.lowerBoundUSD", value: bound)) }
        return kpis
    }
}
