import Markup
import Planning
import Routing
import NetworkData

/// The through bill as a printable page a forwarder hands to a shipper.
public enum BillHTML {
    /// Renders `bill` as one self-contained HTML page: inline CSS with A4 print styles, no
    /// scripts, no external resources; every text is escaped.
    ///
    /// - Complexity: O(L + c) for L legs and c containers.
    public static func render(_ bill: ThroughBill) -> String {
        let ext = bill.routeplanner
        let t = bill.transports
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Through bill of lading \(HTMLText.escape(bill.transportDocumentReference))</title>
            <style>\(css)</style>
            </head>
            <body>

            """
        // Header.
        let statusClass = bill.transportDocumentStatus == .draft ? "draft" : "issued"
        html += """
            <header>
            <div class="title"><h1>Multimodal through bill of lading</h1>
            <div class="subtitle">多式联运提单 · 一单制 · \(bill.isToOrder ? "negotiable, to order" : "straight, non-negotiable") · \
            \(bill.isShippedOnBoardType ? "shipped on board" : "received for shipment")\(bill.isElectronic ? " · electronic" : "")</div></div>
            <table class="ident">
            <tr><th>B/L No.</th><td class="ref">\(HTMLText.escape(bill.transportDocumentReference))</td></tr>
            <tr><th>Status</th><td><span class="status \(statusClass)">\(HTMLText.escape(bill.transportDocumentStatus.rawValue))</span></td></tr>
            <tr><th>Issue date</th><td>\(HTMLText.escape(bill.issueDate))</td></tr>
            <tr><th>Type</th><td>\(HTMLText.escape(bill.transportDocumentTypeCode)), freight \(bill.freightPaymentTermCode == "PRE" ? "prepaid" : "collect")</td></tr>
            <tr><th>Standard</th><td>\(HTMLText.escape(bill.documentStandard.map { "\($0.rawValue) (not an ocean bill)" } ?? "DCSA eBL 3.0.4"))</td></tr>
            <tr><th>Carrier code</th><td>\(HTMLText.escape(bill.carrierCode)) (\(HTMLText.escape(bill.carrierCodeListProvider.rawValue)))</td></tr>
            </table>
            </header>

            """
        if let reasons = ext.draftReasons, !reasons.isEmpty {
            html += "<p class=\"draft-note\"><strong>Draft:</strong> \(reasons.map(HTMLText.escape).joined(separator: "; ")).</p>\n"
        }

        // Parties.
        let p = bill.documentParties
        html += "<section class=\"parties\">\n"
        let consignee = p.consignee ?? ThroughBill.Party(partyName: "To order (blank endorsed)", address: nil, identifyingCodes: nil)
        for (label, party) in [("Shipper", p.shipper), ("Consignee", consignee), ("Issued by (multimodal transport operator)", p.issuingParty)] {
            html += "<div class=\"box\"><h2>\(HTMLText.escape(label))</h2><p class=\"party\">\(HTMLText.escape(party.partyName))</p>"
            for code in party.identifyingCodes ?? [] {
                html += "<p class=\"small\">\(HTMLText.escape(code.codeListProvider)) \(HTMLText.escape(code.partyCode))</p>"
            }
            if let a = party.address {
                html += "<p>\(HTMLText.escape(a.street))<br>\(HTMLText.escape([a.postCode, a.city].compactMap { $0 }.joined(separator: " "))), \(HTMLText.escape(a.countryCode))</p>"
            }
            html += "</div>\n"
        }
        html += "<div class=\"box\"><h2>Contact</h2><p>"
            + bill.partyContactDetails.map { c in HTMLText.escape([c.name, c.email, c.phone].compactMap { $0 }.joined(separator: " · ")) }
            .joined(separator: "<br>")
            + "</p></div>\n"
        html += "</section>\n"

        // Routing.
        html += """
            <section>
            <h2>Routing</h2>
            <table class="routing">
            <tr><th>Place of receipt</th><td>\(place(t.placeOfReceipt))</td><th>Pre-carriage by</th><td>\(HTMLText.escape(t.preCarriageBy?.rawValue ?? "—"))</td></tr>
            <tr><th>\(ext.mainCarriage.mode == .sea || ext.mainCarriage.mode == .inlandWater ? "Port of loading" : "Main carriage from")</th><td>\(place(t.portOfLoading))</td>\
            <th>Planned departure</th><td>\(HTMLText.escape(t.plannedDepartureDate))</td></tr>
            <tr><th>\(ext.mainCarriage.mode == .sea || ext.mainCarriage.mode == .inlandWater ? "Port of discharge" : "Main carriage to")</th><td>\(place(t.portOfDischarge))</td>\
            <th>Planned arrival</th><td>\(HTMLText.escape(t.plannedArrivalDate))</td></tr>
            <tr><th>Place of delivery</th><td>\(place(t.placeOfDelivery))</td><th>On-carriage by</th><td>\(HTMLText.escape(t.onCarriageBy?.rawValue ?? "—"))</td></tr>
            <tr><th>Main carriage</th><td>\(HTMLText.escape(modeName(ext.mainCarriage.mode))), legs \(ext.mainCarriage.firstLeg)–\(ext.mainCarriage.lastLeg)</td>\
            <th>Receipt / delivery</th><td>\(HTMLText.escape(bill.receiptTypeAtOrigin))/\(HTMLText.escape(bill.deliveryTypeAtDestination)), \
            \(HTMLText.escape(bill.cargoMovementTypeAtOrigin))/\(HTMLText.escape(bill.cargoMovementTypeAtDestination))</td></tr>

            """
        if let voyages = t.vesselVoyages {
            let text = voyages.map { v in
                HTMLText.escape(v.vesselName) + " / voyage " + HTMLText.escape(v.carrierExportVoyageNumber) + (v.role.map { " (" + HTMLText.escape($0) + ")" } ?? "")
            }.joined(separator: "<br>")
            html += "<tr><th>Vessel / voyage</th><td colspan=\"3\">\(text)</td></tr>\n"
        }
        html += "</table>\n</section>\n"

        // Cargo and equipment.
        html += "<section>\n<h2>Cargo and equipment</h2>\n"
        for item in bill.consignmentItems {
            html += """
                <p><strong>Booking</strong> \(HTMLText.escape(item.carrierBookingReference)) · <strong>HS</strong> \
                \(item.hsCodes.map { $0 == ThroughBill.Placeholder.hsCode ? "to be advised" : HTMLText.escape($0) }.joined(separator: ", ")) · \
                <strong>Goods</strong> \(item.descriptionOfGoods.map(HTMLText.escape).joined(separator: " "))</p>

                """
        }
        html += """
            <table class="cargo">
            <thead><tr><th>Container</th><th>ISO type</th><th class="num">Tare kg</th><th class="num">Gross cargo kg</th>\
            <th>Packaging</th><th>Seals</th><th>Reefer / DG</th></tr></thead>
            <tbody>

            """
        let cargoByBox = Dictionary(bill.consignmentItems.flatMap(\.cargoItems).map { ($0.equipmentReference, $0) },
                                    uniquingKeysWith: { a, _ in a })
        for ute in bill.utilizedTransportEquipments {
            let e = ute.equipment
            let cargo = cargoByBox[e.equipmentReference]
            var special: [String] = []
            if let r = ute.activeReeferSettings {
                special.append("set point \(number(r.temperatureSetpoint, decimals: 1)) °\(r.temperatureUnit == "CEL" ? "C" : "F")")
            }
            for dg in cargo?.outerPackaging.dangerousGoods ?? [] {
                special.append("UN \(HTMLText.escape(dg.unNumber)), IMO class \(HTMLText.escape(dg.imoClass)): \(HTMLText.escape(dg.properShippingName))")
            }
            html += """
                <tr><td>\(HTMLText.escape(e.equipmentReference))</td><td>\(HTMLText.escape(e.isoEquipmentCode.rawValue)) \
                \(HTMLText.escape(e.isoEquipmentCode.label))</td><td class="num">\(number(e.tareWeight.value, decimals: 0))</td>\
                <td class="num">\(cargo.map { number($0.cargoGrossWeight.value, decimals: 0) } ?? "—")</td>\
                <td>\(cargo.map { "\($0.outerPackaging.numberOfPackages) × " + HTMLText.escape($0.outerPackaging.description) } ?? "—")</td>\
                <td>\(ute.seals.map { HTMLText.escape($0.number) + " (" + HTMLText.escape($0.source) + ")" }.joined(separator: ", "))</td>\
                <td>\(special.isEmpty ? "—" : special.joined(separator: "<br>"))</td></tr>

                """
        }
        html += "</tbody>\n</table>\n</section>\n"

        // Legs with transfer points between them.
        html += """
            <section>
            <h2>Legs</h2>
            <table class="legs">
            <thead><tr><th>#</th><th>Mode</th><th>Service</th><th>From → to</th><th>ETD (UTC)</th><th>ETA (UTC)</th>\
            <th class="num">km</th><th class="num">Days</th><th class="num">USD</th><th class="num">CO2e kg</th></tr></thead>
            <tbody>

            """
        for row in ext.legs {
            let leg = row.leg
            let service = HTMLText.escape(leg.service) + "<br><span class=\"small\">" + HTMLText.escape(leg.serviceName)
                + (leg.operator.map { " · " + HTMLText.escape($0) } ?? "") + "</span>"
            html += """
                <tr class="\(row.role.rawValue)"><td>\(row.sequence)</td><td>\(HTMLText.escape(modeName(leg.mode)))\
                <br><span class="small">\(HTMLText.escape(roleName(row.role)))</span></td><td>\(service)</td>\
                <td>\(legPlace(row.fromPlace)) → \(legPlace(row.toPlace))</td><td>\(HTMLText.escape(dateTime(row.etd)))</td>\
                <td>\(HTMLText.escape(dateTime(row.eta)))</td><td class="num">\(number(leg.distanceKm, decimals: 0))</td>\
                <td class="num">\(number((leg.waitHours + leg.transitHours) / 24, decimals: 1))</td>\
                <td class="num">\(number(leg.costUSD + leg.handlingUSD, decimals: 0))</td>\
                <td class="num">\(number(leg.co2eKg, decimals: 0))</td></tr>

                """
            if let transfer = leg.transfer {
                let at = row.transferPlace ?? row.toPlace
                var what = [transferName(transfer.kind)]
                if let mm = transfer.gaugesMm, !mm.isEmpty { what.append("gauge " + mm.map(String.init).joined(separator: "/") + " mm") }
                if transfer.isBorderCrossing { what.append("border crossing") }
                html += """
                    <tr class="transfer"><td></td><td colspan="9">↳ at \(legPlace(at)): \
                    \(HTMLText.escape(what.joined(separator: ", "))) · \(number(transfer.hours, decimals: 1)) h · \
                    \(number(transfer.costUSD, decimals: 0)) USD</td></tr>

                    """
            }
        }
        let totals = ext.totals
        html += """
            </tbody>
            <tfoot><tr><th colspan="6">Total door to door: \(HTMLText.escape(dateTime(ext.departure))) → \(HTMLText.escape(dateTime(ext.arrival)))</th>\
            <th class="num">\(number(ext.legs.reduce(0) { $0 + $1.leg.distanceKm }, decimals: 0))</th>\
            <th class="num">\(number(totals.days, decimals: 1))</th><th class="num">\(number(totals.priceUSD, decimals: 0))</th>\
            <th class="num">\(number(totals.co2eKg, decimals: 0))</th></tr></tfoot>
            </table>
            </section>
            <section class="totals">
            <div class="box"><h2>Price</h2><p class="big">\(number(totals.priceUSD, decimals: 0)) USD</p></div>
            <div class="box"><h2>Door to door</h2><p class="big">\(number(totals.days, decimals: 1)) days</p></div>
            <div class="box"><h2>CO2e</h2><p class="big">\(number(totals.co2eKg, decimals: 0)) kg</p></div>
            <div class="box"><h2>Volume</h2><p class="big">\(number(totals.teu, decimals: 1)) TEU · \(number(totals.tonnes, decimals: 1)) t · \
            \(totals.containers) box\(totals.containers == 1 ? "" : "es")</p></div>
            </section>

            """

        // CIM/SMGS.
        if let cim = ext.cimSmgs {
            html += """
                <section class="cim">
                <h2>Rail consignment note: \(HTMLText.escape(cim.consignmentNoteType))</h2>
                <table>
                <thead><tr><th>#</th><th>Railway</th><th>Country</th><th>Legs</th><th>Network places</th></tr></thead>
                <tbody>

                """
            for s in cim.railwaySections {
                let places = [s.firstPlace, s.lastPlace].compactMap { $0 }
                let placeText = places.isEmpty ? "transit (inferred)"
                    : (s.firstPlace == s.lastPlace ? legPlace(places[0]) : places.map(legPlace).joined(separator: " → "))
                html += """
                    <tr><td>\(s.sequence)</td><td>\(HTMLText.escape(s.railway)) · \(HTMLText.escape(s.railwayName))</td><td>\(HTMLText.escape(s.countryCode))</td>\
                    <td>\(s.legs.map(String.init).joined(separator: ", "))</td><td>\(placeText)</td></tr>

                    """
            }
            html += "</tbody>\n</table>\n"
            if !cim.borderStations.isEmpty {
                html += "<p><strong>Border stations:</strong> "
                    + cim.borderStations.map { "\(legPlace($0.place)) (after leg \($0.afterLeg), \(number($0.dwellHours, decimals: 1)) h)" }
                    .joined(separator: "; ") + "</p>\n"
            }
            if !cim.gaugeChanges.isEmpty {
                html += "<p><strong>Gauge changes:</strong> "
                    + cim.gaugeChanges.map { "\(legPlace($0.place)) \($0.gaugesMm.map(String.init).joined(separator: "/")) mm" }
                    .joined(separator: "; ") + "</p>\n"
            }
            html += "</section>\n"
        }

        // Terms and footer.
        html += """
            <section class="terms">
            <h2>Terms and conditions</h2>
            <p>\(HTMLText.escape(bill.termsAndConditions))</p>
            <p>Invoice payable at \(HTMLText.escape(bill.invoicePayableAt.unLocationCode ?? bill.invoicePayableAt.freeText ?? "—")). \
            Shipment \(HTMLText.escape(ext.shipmentId)), route part \(ext.routePart) of \(ext.routeParts), \
            \(HTMLText.escape(ext.cargoClass)), network \(HTMLText.escape(ext.network)).</p>
            </section>
            <footer>Generated by \(HTMLText.escape(ext.generator)). JSON: \(bill.documentStandard.map { "a " + HTMLText.escape($0.rawValue) + " document" } ?? "a DCSA eBL 3.0.4 transport document") \
            with the x-routeplanner extension (schemas/one-bill.schema.json).</footer>
            </body>
            </html>

            """
        return html
    }

    // MARK: - Formatting

    static func place(_ location: ThroughBill.Location) -> String {
        let code = location.unLocationCode ?? location.city?.countryCode
            ?? location.geoCoordinate.map { "\($0.latitude), \($0.longitude)" }
        return HTMLText.escape(location.locationName) + (code.map { " <span class=\"code\">" + HTMLText.escape($0) + "</span>" } ?? "")
    }

    static func legPlace(_ place: ThroughBill.LegPlace) -> String {
        HTMLText.escape(place.name) + (place.nameZh.map { " " + HTMLText.escape($0) } ?? "")
            + " <span class=\"code\">" + HTMLText.escape(place.code) + "</span>"
    }

    /// `2026-07-01T05:12:00Z` → `2026-07-01 05:12`.
    static func dateTime(_ iso: String) -> String {
        guard iso.count >= 16 else { return iso }
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }

    /// `x` with `decimals` decimals and thin-space-free comma grouping: `12,345.6`.
    static func number(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return "—" }
        let rounded = ThroughBill.rounded(x, decimals)
        let negative = rounded < 0
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        // Beyond 2^53 digits are not exact anyway (and Int64 would trap): scientific notation.
        guard abs(rounded) * scale < 9e15 else { return String(format: "%.3e", x) }
        let scaled = Int64((abs(rounded) * scale).rounded())
        let whole = scaled / Int64(scale)
        let fraction = scaled % Int64(scale)
        var digits = String(whole)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        if decimals > 0 {
            let f = String(fraction)
            grouped += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (negative && scaled != 0 ? "-" : "") + grouped
    }

    static func modeName(_ mode: TransportMode) -> String {
        switch mode {
        case .rail: "Rail"
        case .sea: "Sea"
        case .inlandWater: "River"
        case .road: "Truck"
        case .air: "Air"
        }
    }

    static func roleName(_ role: ThroughBill.LegRole) -> String {
        switch role {
        case .preCarriage: "pre-carriage"
        case .mainCarriage: "main carriage"
        case .onCarriage: "on-carriage"
        }
    }

    static func transferName(_ kind: TransferEvent.Kind) -> String {
        switch kind {
        case .modeChange: "mode change"
        case .connection: "connection"
        case .gaugeChange: "gauge change"
        }
    }

    static let css = """
        @page{size:A4;margin:12mm}
        *{box-sizing:border-box}
        body{font:9pt/1.35 "Helvetica Neue",Arial,"Noto Sans CJK SC","PingFang SC",sans-serif;color:#111;margin:0 auto;max-width:186mm;padding:8px}
        header{display:flex;justify-content:space-between;align-items:flex-start;border-bottom:2px solid #111;padding-bottom:6px;margin-bottom:8px}
        h1{font-size:15pt;margin:0}
        h2{font-size:9pt;text-transform:uppercase;letter-spacing:.04em;margin:8px 0 3px;color:#333}
        .subtitle{color:#444;margin-top:2px}
        table{border-collapse:collapse;width:100%}
        th,td{border:1px solid #888;padding:2px 4px;vertical-align:top;text-align:left}
        th{background:#eee;font-weight:600}
        table.ident{width:auto}
        table.ident td.ref{font:bold 12pt/1.2 "Courier New",monospace}
        .status{font-weight:bold;padding:0 4px;border:1px solid}
        .status.draft{color:#a40}
        .status.issued{color:#060}
        .draft-note{border:1px dashed #a40;padding:4px;color:#a40}
        .parties,.totals{display:flex;gap:6px}
        .box{flex:1;border:1px solid #888;padding:3px 5px}
        .box h2{margin-top:0}
        .party{font-weight:600}
        .big{font-size:12pt;font-weight:bold;margin:2px 0}
        .num{text-align:right;white-space:nowrap}
        .code{font-family:"Courier New",monospace;color:#555}
        .small{font-size:7.5pt;color:#555}
        tr.mainCarriage td{background:#f6f9ff}
        tr.transfer td{background:#f7f7f7;font-style:italic;border-top:none}
        .terms p{font-size:7.5pt;text-align:justify}
        footer{margin-top:8px;border-top:1px solid #888;font-size:7pt;color:#555}
        @media print{body{padding:0;max-width:none}tr,.box{break-inside:avoid}thead{display:table-header-group}a{color:inherit}}
        """
}
