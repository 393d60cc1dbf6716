"""The simulator benchmark's peer: a SimPy model of the same rules as routeplanner's
SimulationEngine (Sources/Simulation/SimulationEngine.swift; the model is described in
docs/simulation-model.md), run on the scenario that `Simulator.exportScenario()` writes
(timetable, queues with background traffic, lanes with their choice sets, choice parameters).

What it models, as the engine does:
- engine hours from the start of a warm-up (options.warmUpHours before 1 January); months are
  those of hour - warmUpHours; counting (trains, deliveries) covers calendar hours
  [0, countUntilHour), departures run through the drain, and the run stops at drainUntilHour;
- Poisson shipment arrivals per lane until endHour, thinned by the month's seasonal factor over
  the peak factor; sizes uniform in 0.5-1.5 x the lane's mean, whole TEU >= 1 except air;
- route choice by a multinomial logit on relative generalised cost: for each of the lane's
  paths, GC = price + fixedChoiceCostUSD + value of time x (expected hours + reliability ratio
  x spread hours); utility -scale x (GC / GC_min - 1); infeasible paths (no departure with room
  within the booking horizon on some leg, or no crossing day within crossingHorizonDays) drop
  out; when none is feasible, or every feasible one costs more than choiceSetCostRatio x waiting
  beyond the horizon for an infeasible one, the path of least generalised cost with its whole wait;
- expected hours by a through booking: per leg, the first departure with room after bookings
  and holds (a departure whose booked and held TEU with its cargo stay below the minimum load is
  expected to be cancelled (1 - p) / p times, p the line's recent share of departures that ran,
  weight 1 / runShareMemory, and to leave at the latest at the consolidation limit after its first
  booking), the month's mean transit, at a queue the
  first day whose planned throughput (plannedShare (or crossingPlanningUtilisation) x units a day - expected
  background vehicles - units already planned) takes the shipment, never before the line there
  now has cleared, then the expected transfer hours;
- the chosen path's later legs are held (the room is kept) and its crossing days are entered in
  the ledger (a planned day leaves it when the shipment's vehicle has crossed); then the first leg is booked; a later hold turns into a booking when the shipment
  is ready for that leg (it books the next departure with room if it missed the held one, and
  takes physical room, ignoring others' holds, when those leave none within its horizon);
- a departure below its minimum load is cancelled whole unless its first booking is
  maximumConsolidationHours old; its cargo moves to the line's next departures, which keep the
  earliest first-booking hour;
- log-normal transit (x the month's transit factor) and dwell from mean and p90;
- single-server FIFO queues (a SimPy Resource) at border, gauge-change and lock places; rail and
  inland-water vehicles of ours and a Poisson stream of background vehicles (a whole unit each)
  join them; a vehicle holds the server 24 / unitsPerDay hours x its share of a full unit's TEU
  (at least 5 %);
- after each leg the fixed transfer hours plus the place's dwell, then the next leg or the
  last mile and delivery; on time = delivered within onTimeSlack x the hours expected at booking.
It counts model events (the engine's event kinds except the weekly backlog measurement),
departures run in the counted year and drain, China-Europe trains and deliveries. It draws its
own random numbers (Python's Mersenne Twister), and SimPy orders events of the same hour by
scheduling order, not by the engine's priorities, so its results agree with the engine's
statistically, not event by event. It does not model disruptions (re-booking, closures), nor
block trains (the engine keeps a train whole through a border without a gauge change; this
peer re-forms trains at every stop, as the engine did before December 2026), nor the re-booking of
cargo whose next leg is full beyond its horizon (the engine re-books it from where it stands with
the router's detours; this peer books the full leg however far ahead).

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
MONTH_OF_DAY = [m + 1 for m, n in enumerate(MONTH_LENGTHS) for _ in range(n)]  # day 0-364 -> 1-12
YEAR_HOURS = 24 * 365


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
                 "counts_as_train", "departures", "first_open", "ran", "cancelled", "reefer_capacity",
                 "horizon", "run_share")

    def __init__(self, record, options):
        self.index = record["index"]
        self.to = record["to"]
        self.mode = record["mode"]
        self.phase = record["phaseHours"]
        self.headway = record["headwayHours"]
        capacity = record["capacityTEUPerDeparture"]
        self.capacity = math.inf if capacity is None else capacity
        self.seasonal_capacity = record["seasonalCapacityFactor"]
        self.seasonal_transit = record["seasonalTransitFactor"]
        self.minimum_load = record.get("minimumLoadTEU") or 0.0
        self.reefer_capacity = record.get("reeferTEUPerDeparture")  # 2 TEU per plug; None = no limit
        self.transit_mean = record["transitMeanHours"]
        self.transit_log_normal = log_normal_parameters(record["transitMeanHours"], record["transitP90Hours"])
        self.counts_as_train = record["countsAsChinaEuropeTrain"]
        self.departures = {}  # departure index k -> Departure (booked or held, not yet arrived)
        self.first_open = 0  # no departure before this one has room
        self.ran = 0
        self.cancelled = 0
        # Share of its recent departures with cargo that ran (not cancelled below the minimum load).
        self.run_share = 1.0
        # A shipment books only the next bookingHorizonDepartures departures (at least minimumHorizonHours,
        # at most maximumHorizonHours unless one headway is longer).
        self.horizon = max(options["minimumHorizonHours"],
                           min(options["bookingHorizonDepartures"] * self.headway,
                               max(options["maximumHorizonHours"], self.headway)))


class Departure:
    __slots__ = ("booked", "held", "reefer", "first_booking", "shipments", "scheduled")

    def __init__(self):
        self.booked = 0.0
        self.held = 0.0
        self.reefer = 0.0
        self.first_booking = math.inf
        self.shipments = []
        self.scheduled = False


class Shipment:
    __slots__ = ("teu", "arrival", "due", "reefer", "path", "leg", "held", "leg_done", "value_of_time", "crossing_plans")

    def __init__(self, teu, arrival, reefer, value_of_time):
        self.teu = teu
        self.arrival = arrival
        self.due = math.inf
        self.reefer = reefer
        self.value_of_time = value_of_time
        self.path = None
        self.leg = 0
        self.held = []  # departure held on each leg by the through booking (-1: none)
        self.leg_done = None  # the event the carrying vehicle triggers
        self.crossing_plans = []  # (queue, engine day) planned by the through booking, until it crosses


class Queue:
    __slots__ = ("code", "resource", "units_per_day", "teu_per_unit", "waiting_units", "background_per_day",
                 "ledger", "dwell", "planned_share")

    def __init__(self, env, place, ledger_days, dwell):
        self.code = place["code"]
        self.resource = simpy.Resource(env, capacity=1)
        self.units_per_day = place["throughputUnitsPerDay"]
        self.teu_per_unit = place.get("throughputTEUPerUnit") or 0.0
        self.planned_share = place.get("plannedShare")
        self.waiting_units = 0.0  # units of the vehicles in line or in service
        self.background_per_day = place.get("backgroundVehiclesPerDay")
        self.ledger = [0.0] * ledger_days  # units planned by through bookings, by engine day
        self.dwell = dwell

    def vehicle_units(self, teu):
        return min(1.0, teu / self.teu_per_unit) if self.teu_per_unit > 0 else 1.0

    def units(self, teu):
        """Units of throughput a shipment of teu plans (0 when the place has no TEU rate)."""
        return teu / self.teu_per_unit if self.teu_per_unit > 0 else 0.0

    def backlog_hours(self):
        return self.waiting_units * 24 / self.units_per_day if self.units_per_day > 0 else 0.0


class Path:
    __slots__ = ("services", "queues", "fixed_transfer", "expected_transfer", "first_mile", "last_mile",
                 "price", "spread")

    def __init__(self, record, services, queues):
        self.services = [services[s] for s in record["services"]]
        self.queues = [queues.get(code) if code is not None else None for code in record["stopQueues"]]
        self.fixed_transfer = record["fixedTransferHours"]
        self.expected_transfer = record["expectedTransferHours"]
        self.first_mile = record["firstMileHours"]
        self.last_mile = record["lastMileHours"]
        self.price = record["costUSDPerTEU"] + record["fixedChoiceCostUSD"]
        self.spread = record["spreadHours"]


class Model:
    def __init__(self, scenario):
        if scenario.get("disruptions"):
            raise SystemExit("error: the SimPy peer does not model disruptions; export a scenario without them")
        options = scenario["options"]
        self.warm_up = options["warmUpHours"]
        self.end_hour = options["endHour"]
        self.drain_until = options["drainUntilHour"]
        self.count_until = options["countUntilHour"]  # calendar hours
        self.consolidation = options["maximumConsolidationHours"]
        self.on_time_slack = options["onTimeSlack"]
        self.reliability_ratio = options["reliabilityRatio"]
        self.scale = options["logitScale"]
        self.crossing_horizon_days = int(options["crossingHorizonDays"])
        self.crossing_utilisation = options["crossingPlanningUtilisation"]
        self.cost_ratio = options["choiceSetCostRatio"]
        self.run_share_memory = options["runShareMemory"]
        self.random = random.Random(options["seed"])
        self.env = simpy.Environment()
        self.services = [Service(s, options) for s in scenario["services"]]
        self.dwell = {}
        self.queues = {}
        for place in scenario["places"]:
            if place.get("dwellMeanHours") is not None:
                self.dwell[place["code"]] = (place["dwellMeanHours"],
                                             log_normal_parameters(place["dwellMeanHours"], place["dwellP90Hours"]))
        for place in scenario["places"]:
            if place.get("throughputUnitsPerDay") is not None:
                self.queues[place["code"]] = Queue(self.env, place, options["crossingLedgerDays"],
                                                   self.dwell.get(place["code"]))
        self.lanes = []
        for lane in scenario["lanes"]:
            paths = [Path(p, self.services, self.queues) for p in lane["paths"]]
            self.lanes.append((lane, paths))
        self.shipments = 0
        # statistics
        self.events = 0
        self.trains = 0
        self.departures_counted = 0
        self.delivered = 0
        self.delivered_teu = 0.0
        self.on_time = 0
        self.stranded = 0

    # -- time and random variates ---------------------------------------------------------

    def month(self, hour):
        """Month (1-12) of an engine hour (the warm-up falls in the previous November and December)."""
        return MONTH_OF_DAY[int(math.floor((hour - self.warm_up) / 24)) % 365]

    def log_normal(self, mean, parameters):
        if parameters is None:
            return mean
        return self.random.lognormvariate(*parameters)

    # -- capacity -------------------------------------------------------------------------

    def capacity(self, service, k):
        hour = service.phase + k * service.headway
        return service.capacity * service.seasonal_capacity[self.month(hour) - 1]

    def room(self, service, k, reefer, ignoring_holds=False):
        departure = service.departures.get(k)
        if departure is None:
            free = self.capacity(service, k)
            return min(free, service.reefer_capacity) if reefer and service.reefer_capacity is not None else free
        free = self.capacity(service, k) - departure.booked - (0.0 if ignoring_holds else departure.held)
        if reefer and service.reefer_capacity is not None:
            free = min(free, service.reefer_capacity - departure.reefer)
        return free

    def book(self, service, ready, teu, shipment, ignoring_holds=False):
        """Books teu on the earliest departures of service with room from ready on; returns the
        index of the departure that carries the last part."""
        headway, phase = service.headway, service.phase
        k = max(max(0, math.ceil((ready - phase) / headway)), service.first_open)
        remaining = teu
        departures = service.departures
        for _ in range(5000):
            hour = phase + k * headway
            capacity = self.capacity(service, k)
            departure = departures.get(k)
            booked = departure.booked if departure else 0.0
            if capacity - booked <= EPSILON and k == service.first_open and capacity > 0:
                service.first_open = k + 1
            free = self.room(service, k, shipment.reefer, ignoring_holds)
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
                if not departure.scheduled and hour <= self.drain_until:
                    departure.scheduled = True
                    self.env.process(self.departure(service, k, hour))
                if departure.booked >= capacity - EPSILON and k == service.first_open:
                    service.first_open = k + 1
                if remaining <= EPSILON:
                    return k
            k += 1
        return None

    def hour_when_booked(self, service, ready, teu, reefer, horizon):
        """(hour, index) of the departure that would carry the last part of teu booked from
        ready, or None when none within horizon hours of ready can."""
        k = max(service.first_open, math.ceil((ready - service.phase) / service.headway))
        remaining = teu
        last = ready + horizon
        while True:
            hour = service.phase + k * service.headway
            if hour > last:
                return None
            remaining -= max(0.0, self.room(service, k, reefer))
            if remaining <= EPSILON:
                return hour, k
            k += 1

    # -- crossings ------------------------------------------------------------------------

    def units_left(self, queue, day):
        noon = day * 24 + 12
        share = queue.planned_share if queue.planned_share is not None else self.crossing_utilisation
        left = queue.units_per_day * share
        if queue.background_per_day is not None:
            left -= queue.background_per_day[self.month(noon) - 1]
        planned = queue.ledger[day] if 0 <= day < len(queue.ledger) else 0.0
        return left - planned

    def crossing(self, queue, hour, teu, now, horizon_days):
        """(day, wait) of the first day with throughput left for teu arriving at hour, never
        before the line now has cleared; None when no day within horizon_days has room."""
        physical = max(0.0, queue.backlog_hours() - (hour - now))
        need = queue.units(teu)
        if need <= 0:
            return int(hour / 24), physical
        first_day = int((hour + physical) / 24)
        for day in range(first_day, first_day + horizon_days):
            if self.units_left(queue, day) >= need - EPSILON:
                return day, max(physical, day * 24 - hour)
        return None

    # -- through booking and choice -------------------------------------------------------

    def expected_delivery(self, path, first_leg, ready, teu, reefer, now, within_horizon, detail=None):
        """Expected delivery hour of a through booking of path from first_leg, ready at ready; None
        when a leg or crossing has no room within its horizon. With detail (a list), appends
        (departure index, (queue, day) or None) for each leg."""
        hour = ready
        services = path.services
        for leg in range(first_leg, len(services)):
            service = services[leg]
            found = self.hour_when_booked(service, hour, teu, reefer,
                                          service.horizon if within_horizon else YEAR_HOURS)
            if found is None:
                return None
            departure_hour, k = found
            leaves = departure_hour
            if service.minimum_load > 0:
                departure = service.departures.get(k)
                planned = departure.booked + departure.held if departure else 0.0
                if planned + teu < service.minimum_load:
                    # Expected cancellations from the line's run record, at most the consolidation limit.
                    first = min(departure.first_booking if departure else math.inf, hour)
                    share = max(service.run_share, 0.01)
                    skipped = (1 - share) / share
                    leaves = max(leaves, min(first + self.consolidation, departure_hour + skipped * service.headway))
            hour = leaves + service.transit_mean * service.seasonal_transit[self.month(departure_hour) - 1]
            queue = path.queues[leg]
            crossing = None
            if queue is not None:
                crossing = self.crossing(queue, hour, teu, now,
                                         self.crossing_horizon_days if within_horizon else 365)
                if crossing is None:
                    return None
                hour += crossing[1]
            if detail is not None:
                detail.append((k, (queue, crossing[0]) if crossing is not None else None))
            hour += path.expected_transfer[leg]
        return hour + path.last_mile

    def choose(self, shipment, paths, now):
        """Logit draw among the feasible paths; the least generalised cost with the whole wait when none is."""
        teu, reefer = shipment.teu, shipment.reefer
        costs, deliveries = [], []
        for path in paths:
            delivery = self.expected_delivery(path, 0, now + path.first_mile, teu, reefer, now, True)
            deliveries.append(delivery)
            if delivery is None:
                costs.append(None)
            else:
                costs.append(path.price + shipment.value_of_time
                             * (delivery - shipment.arrival + self.reliability_ratio * path.spread))
        feasible = [i for i, c in enumerate(costs) if c is not None and math.isfinite(c)]
        if feasible and len(feasible) < len(paths):
            # Waiting beyond the horizon is an option too: when every path with room costs more than
            # cost_ratio x waiting for the best of the others, the shipper waits.
            waiting = math.inf
            for i, path in enumerate(paths):
                if deliveries[i] is not None:
                    continue
                delivery = self.expected_delivery(path, 0, now + path.first_mile, teu, reefer, now, False)
                if delivery is not None:
                    waiting = min(waiting, path.price + shipment.value_of_time
                                  * (delivery - shipment.arrival + self.reliability_ratio * path.spread))
            if min(costs[i] for i in feasible) > self.cost_ratio * waiting:
                feasible = []
        if len(feasible) == 1:
            pick = feasible[0]
        elif feasible:
            cheapest = min(costs[i] for i in feasible)
            shift = 1 - cheapest if cheapest < 1 else 0.0
            reference = cheapest + shift
            weights = [math.exp(-self.scale * ((costs[i] + shift) / reference - 1)) for i in feasible]
            draw = self.random.random() * sum(weights)
            pick = feasible[-1]
            for i, weight in zip(feasible, weights):
                draw -= weight
                if draw < 0:
                    pick = i
                    break
        else:
            # None within a horizon: the least generalised cost with the whole wait.
            pick, least = None, math.inf
            for i, path in enumerate(paths):
                delivery = self.expected_delivery(path, 0, now + path.first_mile, teu, reefer, now, False)
                if delivery is None:
                    continue
                cost = path.price + shipment.value_of_time * (delivery - shipment.arrival + self.reliability_ratio * path.spread)
                if cost < least:
                    pick, least = i, cost
                    deliveries[i] = delivery
            if pick is None:
                return None
        return pick, deliveries[pick]

    def commit(self, shipment, path, ready, now):
        """Holds the later legs' departures and plans the crossing days, then books the first leg."""
        shipment.path = path
        shipment.leg = 0
        shipment.held = [-1] * len(path.services)
        detail = []
        teu = shipment.teu
        if self.expected_delivery(path, 0, ready, teu, shipment.reefer, now, False, detail) is not None:
            for leg in range(1, len(detail)):
                k = detail[leg][0]
                service = path.services[leg]
                departure = service.departures.get(k)
                if departure is None:
                    departure = service.departures[k] = Departure()
                departure.held += teu
                shipment.held[leg] = k
            for _, crossing in detail:
                if crossing is not None:
                    queue, day = crossing
                    if 0 <= day < len(queue.ledger):
                        queue.ledger[day] += queue.units(teu)
                        shipment.crossing_plans.append((queue, day))

    def book_leg(self, shipment, ready):
        """The hold on this leg becomes a booking (the next departure with room if it missed it)."""
        service = shipment.path.services[shipment.leg]
        k = shipment.held[shipment.leg]
        if k >= 0:
            shipment.held[shipment.leg] = -1
            departure = service.departures.get(k)
            if departure is not None:
                departure.held = max(0.0, departure.held - shipment.teu)
        shipment.leg_done = self.env.event()
        # Missed its hold and nothing within the horizon: re-accommodated on physical room.
        missed = shipment.leg > 0 and self.hour_when_booked(service, ready, shipment.teu, shipment.reefer, service.horizon) is None
        if self.book(service, ready, shipment.teu, shipment, missed) is None:
            self.stranded += 1
            return False
        return True

    # -- processes ------------------------------------------------------------------------

    def lane_arrivals(self, lane, paths):
        """Poisson arrivals with seasonal thinning; each arrival starts a shipment."""
        seasonality = lane["seasonality"]
        peak = max(seasonality)
        rate = lane["arrivalsPerHour"]
        if rate <= 0 or peak <= 0:
            return
        env = self.env
        reefer = lane["cargo"] == "reefer"
        air = lane["corridor"] == "air"
        value_of_time = lane["valueOfTimeUSDPerTEUHour"]
        t = 0.0
        while True:
            while True:
                t += self.random.expovariate(rate * peak)
                if t >= self.end_hour:
                    return
                if self.random.random() * peak <= seasonality[self.month(t) - 1]:
                    break
            yield env.timeout(t - env.now)
            self.events += 1
            teu = lane["shipmentTEU"] * (0.5 + self.random.random())
            if not air:
                teu = max(1.0, math.floor(teu + 0.5))
            self.shipment_arrived(Shipment(teu, env.now, reefer, value_of_time), paths)

    def shipment_arrived(self, shipment, paths):
        now = self.env.now
        self.shipments += 1
        chosen = self.choose(shipment, paths, now)
        if chosen is None:
            self.stranded += 1
            return
        pick, delivery = chosen
        path = paths[pick]
        shipment.due = now + (delivery - now) * self.on_time_slack
        ready = now + path.first_mile
        self.commit(shipment, path, ready, now)
        # The first leg is booked now, as the engine does, not when the process first runs.
        if path.services and not self.book_leg(shipment, ready):
            return
        self.env.process(self.journey(shipment, ready))

    def journey(self, shipment, ready):
        """A shipment's legs (the first already booked): ride (the vehicle triggers leg_done),
        transfer, book the next; then the last mile."""
        env = self.env
        path = shipment.path
        services = path.services
        last = len(services) - 1
        if last < 0:
            yield env.timeout(ready - env.now + path.last_mile)
            self.deliver(shipment)
            return
        for leg in range(len(services)):
            shipment.leg = leg
            if leg > 0 and not self.book_leg(shipment, ready):
                return  # stranded
            yield shipment.leg_done
            delay = path.fixed_transfer[leg]
            dwell = self.dwell.get(services[leg].to)
            if dwell is not None:
                delay += self.log_normal(*dwell)
            if leg == last:
                yield env.timeout(delay + path.last_mile)
                self.deliver(shipment)
                return
            yield env.timeout(delay)
            self.events += 1  # released for the next leg
            ready = env.now

    def departure(self, service, k, hour):
        """One timetabled departure with cargo booked: runs, or is cancelled below its minimum load."""
        env = self.env
        yield env.timeout(max(0.0, hour - env.now))
        self.events += 1
        departure = service.departures.get(k)
        if departure is None:
            return
        now = env.now
        under_minimum = (service.minimum_load > 0 and departure.booked + EPSILON < service.minimum_load
                         and now - departure.first_booking < self.consolidation)
        if service.minimum_load > 0:
            service.run_share += ((0.0 if under_minimum else 1.0) - service.run_share) / self.run_share_memory
        if under_minimum:
            # The whole departure is cancelled; its cargo waits for the line's next departures,
            # which keep the earliest first booking (a train waits at most the consolidation limit).
            service.cancelled += 1
            del service.departures[k]
            for shipment in departure.shipments:
                moved = self.book(service, now + 1e-6, shipment.teu, shipment)
                if moved is None:
                    self.stranded += 1
                    continue
                following = service.departures[moved]
                following.first_booking = min(following.first_booking, departure.first_booking)
            return
        service.ran += 1
        calendar = now - self.warm_up
        if calendar >= 0:
            self.departures_counted += 1
            if service.counts_as_train and calendar < self.count_until:
                self.trains += 1
        carried = departure.shipments  # booked no more: the departure's hour has passed
        transit = self.log_normal(service.transit_mean, service.transit_log_normal)
        yield env.timeout(transit * service.seasonal_transit[self.month(now) - 1])
        self.events += 1
        service.departures.pop(k, None)
        queue = self.queues.get(service.to)
        if queue is not None and service.mode in ("rail", "inlandWater"):
            teu = sum(shipment.teu for shipment in carried)
            yield from self.cross(queue, teu)
            # The crossing plans of its cargo leave the ledger: the train has crossed.
            for shipment in carried:
                for i, (planned_queue, day) in enumerate(shipment.crossing_plans):
                    if planned_queue is queue:
                        queue.ledger[day] = max(0.0, queue.ledger[day] - queue.units(shipment.teu))
                        del shipment.crossing_plans[i]
                        break
        for shipment in carried:
            shipment.leg_done.succeed()

    def cross(self, queue, teu):
        """A vehicle of teu joins the queue's single server and holds it for its share of a slot."""
        units = queue.vehicle_units(teu)
        share = min(1.0, max(0.05, teu / queue.teu_per_unit)) if queue.teu_per_unit > 0 else 1.0
        queue.waiting_units += units
        with queue.resource.request() as request:
            yield request
            yield self.env.timeout(24 / queue.units_per_day * share)
        queue.waiting_units = max(0.0, queue.waiting_units - units)
        self.events += 1

    def background(self, queue):
        """The place's other traffic: Poisson vehicles of a whole unit each, until endHour."""
        by_month = queue.background_per_day
        peak = max(by_month)
        if peak <= 0:
            return
        teu = queue.teu_per_unit if queue.teu_per_unit > 0 else 1.0
        env = self.env
        t = 0.0
        while True:
            while True:
                t += self.random.expovariate(peak / 24)
                if t >= self.end_hour:
                    return
                if self.random.random() * peak <= by_month[self.month(t) - 1]:
                    break
            yield env.timeout(t - env.now)
            self.events += 1
            env.process(self.cross(queue, teu))

    def deliver(self, shipment):
        self.events += 1
        now = self.env.now
        calendar = now - self.warm_up
        if 0 <= calendar < self.count_until:
            self.delivered += 1
            self.delivered_teu += shipment.teu
            if now <= shipment.due + EPSILON:
                self.on_time += 1

    def run(self):
        for lane, paths in self.lanes:
            if paths and lane["teuPerYear"] > 0:
                self.env.process(self.lane_arrivals(lane, paths))
        for queue in self.queues.values():
            if queue.background_per_day is not None:
                self.env.process(self.background(queue))
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
        "shipments": model.shipments,
        "delivered": model.delivered,
        "deliveredTEU": model.delivered_teu,
        "onTimeRate": model.on_time / model.delivered if model.delivered else 0,
        "departures": model.departures_counted,
        "cancelled": sum(s.cancelled for s in model.services),
        "stranded": model.stranded,
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
