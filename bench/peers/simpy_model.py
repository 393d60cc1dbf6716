"""The simulator benchmark's peer: a SimPy model of the same logic as routeplanner's
SimulationEngine (Sources/RoutePlanner/Simulation/SimulationEngine.swift), run on the scenario
that `Simulator.exportScenario()` writes (timetable, lanes, planned paths, options).

What it models, as the engine does:
- Poisson shipment arrivals per lane, thinned by the month's seasonal factor over the peak factor;
- shipment sizes uniform in 0.5-1.5 x the lane's mean, whole TEU >= 1 except on air lanes;
- rolling-horizon choice among the lane's planned alternatives: the first (cheapest) one whose
  services all have capacity at their planned times, whose queues hold no more than
  maximumBookingDelayHours of backlog, and whose first service can take the whole shipment
  within maximumBookingDelayHours; else the one that can take it soonest;
- booking on the earliest departures with room from the ready time on (a shipment may be split
  over several departures; it travels with the one that carries its last part);
- a departure below its minimum load does not run (its cargo moves to the next departures)
  unless its cargo has waited maximumConsolidationHours;
- log-normal transit (x the month's transit factor) and dwell from mean and p90;
- single-server FIFO queues (a SimPy Resource) at border, gauge-change and lock places, each
  vehicle held 24 / unitsPerDay hours x its share of a full train's TEU (at least 5 %); rail and
  inland-water vehicles join them;
- after each leg the fixed transfer hours plus the place's dwell, then the next leg or the
  last mile and delivery.
It counts model events (arrivals, departures due, vehicle arrivals, queue services, releases,
deliveries: the engine's event kinds), departures run, China-Europe trains (a run of a service
the scenario marks countsAsChinaEuropeTrain, before countUntilHour) and deliveries (before
countUntilHour). It draws its own random numbers (Python's Mersenne Twister), so its results
agree with the engine's statistically, not event by event.

Usage: python3 simpy_model.py SCENARIO.json [--json OUT.json]
"""

import json
import math
import random
import resource
import sys
import time

import simpy

EPSILON = 1e-9
Z90 = 1.2815515655446004
MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
# Month (1-12) of each day, for three non-leap years as in the engine (hours past the year drain).
MONTH_OF_DAY = [m + 1 for _ in range(3) for m, n in enumerate(MONTH_LENGTHS) for _ in range(n)]


def month(hour):
    day = min(max(0, int(hour / 24)), len(MONTH_OF_DAY) - 1)
    return MONTH_OF_DAY[day]


def log_normal_parameters(mean, p90):
    """(mu, sigma) of the log-normal with this mean and 90th percentile, or None for a constant."""
    if mean <= 0 or p90 <= mean * (1 + EPSILON):
        return None
    gap = math.log(p90 / mean)
    discriminant = Z90 * Z90 - 2 * gap
    sigma = Z90 - math.sqrt(discriminant) if discriminant > 0 else Z90
    return math.log(mean) - sigma * sigma / 2, sigma


class Service:
    __slots__ = ("index", "to", "mode", "phase", "headway", "capacity", "seasonal_capacity",
                 "seasonal_transit", "minimum_load", "transit_mean", "transit_log_normal",
                 "counts_as_train", "departures", "first_open", "ran", "cancelled", "reefer_capacity")

    def __init__(self, record):
        self.index = record["index"]
        self.to = record["to"]
        self.mode = record["mode"]
        self.phase = record["phaseHours"]
        self.headway = record["headwayHours"]
        self.capacity = record["capacityTEUPerDeparture"]
        self.seasonal_capacity = record["seasonalCapacityFactor"]
        self.seasonal_transit = record["seasonalTransitFactor"]
        self.minimum_load = record.get("minimumLoadTEU")
        self.reefer_capacity = record.get("reeferTEUPerDeparture")  # 2 TEU per plug; None = no limit
        self.transit_mean = record["transitMeanHours"]
        self.transit_log_normal = log_normal_parameters(record["transitMeanHours"], record["transitP90Hours"])
        self.counts_as_train = record["countsAsChinaEuropeTrain"]
        self.departures = {}  # departure index k -> Departure (booked, not yet arrived)
        self.first_open = 0  # no departure before this one has room
        self.ran = 0
        self.cancelled = 0

    def capacity_at(self, hour):
        return self.capacity * self.seasonal_capacity[month(hour) - 1]


class Departure:
    __slots__ = ("booked", "shipments", "scheduled", "first_booking", "reefer")

    def __init__(self):
        self.booked = 0.0
        self.reefer = 0.0
        self.shipments = []
        self.scheduled = False
        self.first_booking = math.inf


class Shipment:
    __slots__ = ("teu", "arrival", "due", "leg_done", "reefer")

    def __init__(self, teu, arrival, due, reefer=False):
        self.reefer = reefer
        self.teu = teu
        self.arrival = arrival
        self.due = due
        self.leg_done = None  # the event the carrying vehicle triggers


class Model:
    def __init__(self, scenario):
        if scenario.get("disruptions"):
            raise SystemExit("error: the SimPy peer does not model disruptions; export a scenario without them")
        options = scenario["options"]
        self.end_hour = options["endHour"]
        self.drain_until = options["drainUntilHour"]
        self.count_until = options["countUntilHour"]
        self.max_consolidation = options["maximumConsolidationHours"]
        self.max_booking_delay = options["maximumBookingDelayHours"]
        self.on_time_slack = options["onTimeSlack"]
        self.random = random.Random(options["seed"])
        self.env = simpy.Environment()
        self.services = [Service(s) for s in scenario["services"]]
        self.dwell = {}
        self.queues = {}
        self.queue_hours = {}
        self.queue_teu_per_unit = {}
        self.backlog_units = {}  # trains' worth of vehicles queued or in service, per place
        for place in scenario["places"]:
            if place.get("dwellMeanHours") is not None:
                parameters = log_normal_parameters(place["dwellMeanHours"], place["dwellP90Hours"])
                self.dwell[place["code"]] = (place["dwellMeanHours"], parameters)
            if place.get("throughputUnitsPerDay") is not None:
                self.queues[place["code"]] = simpy.Resource(self.env, capacity=1)
                self.queue_hours[place["code"]] = 24 / place["throughputUnitsPerDay"]
                self.queue_teu_per_unit[place["code"]] = place.get("throughputTEUPerUnit")
                self.backlog_units[place["code"]] = 0.0
        self.lanes = scenario["lanes"]
        self.shipments = []
        # statistics
        self.events = 0
        self.trains = 0
        self.delivered = 0
        self.delivered_teu = 0.0
        self.on_time = 0

    # -- random variates ------------------------------------------------------------------

    def log_normal(self, mean, parameters):
        if parameters is None:
            return mean
        return self.random.lognormvariate(*parameters)

    # -- timetable and booking ------------------------------------------------------------

    def book(self, service, ready, teu, shipment):
        """Books teu on the earliest departures of service with room from ready on."""
        headway, phase = service.headway, service.phase
        earliest = max(0, math.ceil((ready - phase) / headway))
        k = max(earliest, service.first_open)
        remaining = teu
        departures = service.departures
        for _ in range(5000):
            hour = phase + k * headway
            capacity = service.capacity_at(hour)
            departure = departures.get(k)
            free = capacity - (departure.booked if departure else 0.0)
            if free <= EPSILON and k == service.first_open and capacity > 0:
                service.first_open = k + 1
            if shipment.reefer and service.reefer_capacity is not None:
                free = min(free, service.reefer_capacity - (departure.reefer if departure else 0.0))
            if free > EPSILON:
                if departure is None:
                    departure = departures[k] = Departure()
                take = min(free, remaining)
                departure.booked += take
                if shipment.reefer:
                    departure.reefer += take
                departure.first_booking = min(departure.first_booking, ready)
                remaining -= take
                if remaining <= EPSILON:
                    departure.shipments.append(shipment)
                if not departure.scheduled and hour < self.end_hour:
                    departure.scheduled = True
                    self.env.process(self.departure(service, k, hour))
                if departure.booked >= capacity - EPSILON and k == service.first_open:
                    service.first_open = k + 1
                if remaining <= EPSILON:
                    return k
            k += 1
        return None

    def hour_when_booked(self, service, ready, teu, reefer=False):
        """The hour of the departure that would carry the last part of teu booked from ready."""
        k = max(service.first_open, math.ceil((ready - service.phase) / service.headway))
        departures = service.departures
        remaining = teu
        for _ in range(400):
            hour = service.phase + k * service.headway
            departure = departures.get(k)
            free = service.capacity_at(hour) - (departure.booked if departure else 0.0)
            if reefer and service.reefer_capacity is not None:
                free = min(free, service.reefer_capacity - (departure.reefer if departure else 0.0))
            remaining -= max(0.0, free)
            if remaining <= EPSILON:
                return hour
            k += 1
        return math.inf

    def units(self, place, teu):
        """A vehicle's share of a full unit at a queue (1 when the queue counts vehicles)."""
        unit = self.queue_teu_per_unit[place]
        return min(1.0, teu / unit) if unit else 1.0

    def backlog_hours(self, place):
        return self.backlog_units[place] * self.queue_hours[place]

    # -- processes ------------------------------------------------------------------------

    def lane_arrivals(self, lane):
        """Poisson arrivals with seasonal thinning; each arrival starts a shipment."""
        seasonality = lane["seasonality"]
        peak = max(seasonality)
        rate = lane["arrivalsPerHour"]
        if rate <= 0 or peak <= 0:
            return
        env = self.env
        t = 0.0
        while True:
            while True:
                t += self.random.expovariate(rate * peak)
                if t >= self.end_hour:
                    return
                if self.random.random() * peak <= seasonality[month(t) - 1]:
                    break
            yield env.timeout(t - env.now)
            self.events += 1
            self.shipment_arrived(lane)

    def shipment_arrived(self, lane):
        env = self.env
        now = env.now
        teu = lane["shipmentTEU"] * (0.5 + self.random.random())
        if lane["corridor"] != "air":
            teu = max(1.0, math.floor(teu + 0.5))
        paths = lane["paths"]
        chosen = None
        fallback, fallback_delay = 0, math.inf
        for p, path in enumerate(paths):
            if not path["services"]:
                chosen = p
                break
            ready = now + path["firstMileHours"]
            delay = self.hour_when_booked(self.services[path["services"][0]], ready, teu, lane["cargo"] == "reefer") - ready
            if delay < fallback_delay:
                fallback, fallback_delay = p, delay
            is_open = all(self.services[s].capacity_at(now + offset) > EPSILON
                          for s, offset in zip(path["services"], path["legOffsetHours"])) \
                and all(self.backlog_hours(stop) <= self.max_booking_delay
                        for stop in path["stops"] if stop in self.backlog_units)
            if is_open and delay <= self.max_booking_delay:
                chosen = p
                break
        if chosen is None:  # nothing acceptable: the alternative that takes the whole shipment soonest
            chosen = fallback
        path = paths[chosen]
        shipment = Shipment(teu, now, now + path["plannedHours"] * self.on_time_slack, lane["cargo"] == "reefer")
        self.shipments.append(shipment)
        env.process(self.journey(shipment, path))

    def journey(self, shipment, path):
        """A shipment's legs: book, ride, transfer; then the last mile and delivery."""
        env = self.env
        services = path["services"]
        if not services:
            yield env.timeout(path["firstMileHours"] + path["lastMileHours"])
            self.deliver(shipment)
            return
        ready = env.now + path["firstMileHours"]
        last = len(services) - 1
        for leg, s in enumerate(services):
            service = self.services[s]
            shipment.leg_done = env.event()
            self.book(service, ready, shipment.teu, shipment)
            yield shipment.leg_done
            delay = path["fixedTransferHours"][leg]
            dwell = self.dwell.get(service.to)
            if dwell is not None:
                delay += self.log_normal(*dwell)
            if leg == last:
                yield env.timeout(delay + path["lastMileHours"])
                self.deliver(shipment)
                return
            yield env.timeout(delay)
            self.events += 1  # released for the next leg
            ready = env.now

    def departure(self, service, k, hour):
        """One timetabled departure that has cargo booked: runs (or not) at its hour."""
        env = self.env
        yield env.timeout(max(0.0, hour - env.now))
        self.events += 1
        departure = service.departures.get(k)
        if departure is None:
            return
        if (service.minimum_load is not None and departure.booked + EPSILON < service.minimum_load
                and env.now - departure.first_booking < self.max_consolidation):
            # Too little cargo: the departure is cancelled and its cargo moves on.
            service.cancelled += 1
            del service.departures[k]
            for shipment in departure.shipments:
                moved = self.book(service, env.now + 1e-6, shipment.teu, shipment)
                if moved is not None:
                    following = service.departures[moved]
                    following.first_booking = min(following.first_booking, departure.first_booking)
            return
        service.ran += 1
        if service.counts_as_train and env.now < self.count_until:
            self.trains += 1
        carried = list(departure.shipments)  # the engine hands the vehicle a copy
        transit = self.log_normal(service.transit_mean, service.transit_log_normal)
        yield env.timeout(transit * service.seasonal_transit[month(env.now) - 1])
        self.events += 1
        service.departures.pop(k, None)
        place = service.to
        queue = self.queues.get(place)
        if queue is not None and service.mode in ("rail", "inlandWater"):
            teu = sum(shipment.teu for shipment in carried)
            units = self.units(place, teu)
            share = max(0.05, units) if self.queue_teu_per_unit[place] else 1.0
            self.backlog_units[place] += units
            with queue.request() as request:
                yield request
                yield env.timeout(self.queue_hours[place] * share)
            self.backlog_units[place] -= units
            self.events += 1
        for shipment in carried:
            shipment.leg_done.succeed()

    def deliver(self, shipment):
        self.events += 1
        now = self.env.now
        if now < self.count_until:
            self.delivered += 1
            self.delivered_teu += shipment.teu
            if now <= shipment.due + EPSILON:
                self.on_time += 1

    def run(self):
        for lane in self.lanes:
            if lane["paths"] and lane["teuPerYear"] > 0:
                self.env.process(self.lane_arrivals(lane))
        self.env.run(until=self.drain_until)


def main():
    arguments = sys.argv[1:]
    if not arguments:
        raise SystemExit(__doc__)
    load_start = time.perf_counter()
    with open(arguments[0]) as file:
        scenario = json.load(file)
    model = Model(scenario)
    load_seconds = time.perf_counter() - load_start
    start = time.perf_counter()
    cpu_start = time.process_time()
    model.run()
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    try:
        kernel_events = next(model.env._eid)  # SimPy's count of scheduled events
    except AttributeError:
        kernel_events = None
    report = {
        "simpy": simpy.__version__ if hasattr(simpy, "__version__") else None,
        "python": sys.version.split()[0],
        "loadSeconds": load_seconds,
        "runSeconds": wall,
        "cpuSeconds": cpu,
        "events": model.events,
        "kernelEvents": kernel_events,
        "shipments": len(model.shipments),
        "delivered": model.delivered,
        "deliveredTEU": model.delivered_teu,
        "onTimeRate": model.on_time / model.delivered if model.delivered else 0,
        "departures": sum(s.ran for s in model.services),
        "cancelled": sum(s.cancelled for s in model.services),
        "chinaEuropeTrains": model.trains,
        "peakMemoryBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }
    text = json.dumps(report, indent=2, sort_keys=True)
    if "--json" in arguments:
        with open(arguments[arguments.index("--json") + 1], "w") as file:
            file.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
