import Foundation

/// Renders each section's items, in display order, with their place in the drop order.
extension ContextAssembler {
    /// Sentiment closer to zero than this is neutral: such an activity is low-signal.
    public static let neutralSentiment = 0.25
    /// Memory with confidence below this is dropped early.
    public static let lowConfidence = 0.5

    func makeCandidates(_ snapshot: ClientSnapshot, now: Date) -> [ContextCandidate] {
        var out: [ContextCandidate] = []
        out.reserveCapacity(snapshot.activities.count + snapshot.contacts.count + snapshot.memory.count + 24)
        appendProfile(snapshot, now: now, to: &out)
        appendContacts(snapshot, to: &out)
        appendMemory(snapshot, to: &out)
        appendActivities(snapshot, now: now, to: &out)
        appendDeals(snapshot, now: now, to: &out)
        appendTasks(snapshot, now: now, to: &out)
        appendOrders(snapshot, to: &out)
        return out
    }

    private static func itemID(_ prefix: String, _ id: Int64?, _ index: Int) -> String {
        if let id { return prefix + ":" + String(id) }
        return prefix + "#" + String(index)
    }

    private static func optional(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    private static func text(_ fields: [String: JSONValue], _ line: String) -> JSONValue {
        var fields = fields
        // The line without its "- " and its newline (both ASCII, so a byte slice stays valid UTF-8).
        fields["text"] = .string(String(decoding: line.utf8.dropFirst(2).dropLast(), as: UTF8.self))
        return .object(fields)
    }

    // MARK: Profile

    private func appendProfile(_ snapshot: ClientSnapshot, now: Date, to out: inout [ContextCandidate]) {
        let client = snapshot.client
        // Names and codes may come from an import: fenced (codes only when not code-shaped), see ContextFormat.
        let industry = client.industry.map { ContextFormat.code($0) }
        let domain = client.domain.map { ContextFormat.code($0) }
        var company = "- Company: " + ContextFormat.untrusted(client.name)
        company += " (id " + ContextFormat.code(client.id) + ")"
        if let industry { company += ", industry " + industry }
        company += ", tier " + client.tier.rawValue
        if let domain { company += ", domain " + domain }
        company += "\n"
        out.append(
            ContextCandidate(
                section: .profile, id: "profile:company", text: company,
                fields: { [company] in Self.text(
                    [
                        "industry": Self.optional(industry), "tier": .string(client.tier.rawValue),
                        "domain": Self.optional(domain),
                    ], company) }, tier: nil, key: (0, 0)))

        var status = "- Lifecycle " + client.lifecycle.rawValue + ", lead status " + client.leadStatus.rawValue
        if let budget = client.monthlyBudget {
            status += ", monthly budget " + ContextFormat.money(budget, client.currency)
        }
        let renewal = client.renewalDate.map(ContextFormat.day)
        if let renewal { status += ", contract renews " + renewal }
        status += "\n"
        out.append(
            ContextCandidate(
                section: .profile, id: "profile:status", text: status,
                fields: { [status] in Self.text(
                    [
                        "lifecycle": .string(client.lifecycle.rawValue), "lead_status": .string(client.leadStatus.rawValue),
                        "monthly_budget": client.monthlyBudget.map { .double($0) } ?? .null,
                        "currency": .string(ContextFormat.code(client.currency)),
                    ].merging(renewal.map { ["renewal_date": .string($0)] } ?? [:]) { $1 }, status) },
                tier: nil, key: (0, 0)))

        // Users are the team, but their names and addresses may come from an import: fenced too.
        var owner = "- Account owner: "
        let ownerName = (snapshot.owner?.name).map { ContextFormat.untrusted($0) }
            ?? client.ownerID.map { ContextFormat.code($0) }
        let ownerEmail = (snapshot.owner?.email).map { ContextFormat.untrusted($0) }
        let ownerTeam = (snapshot.owner?.team).map { ContextFormat.code($0) }
        if let user = snapshot.owner {
            owner += ContextFormat.untrusted(user.name + ", " + user.email)
            if let ownerTeam { owner += ", team " + ownerTeam }
        } else if let ownerName {
            owner += ownerName
        } else {
            owner += "none assigned"
        }
        owner += "\n"
        out.append(
            ContextCandidate(
                section: .profile, id: "profile:owner", text: owner,
                fields: { [owner] in Self.text(
                    [
                        "owner_name": Self.optional(ownerName), "owner_email": Self.optional(ownerEmail),
                        "owner_team": Self.optional(ownerTeam),
                    ], owner) }, tier: nil, key: (0, 0)))

        let last = snapshot.lastInteractionAt ?? snapshot.activities.map(\.occurredAt).max()
        var interaction = "- Last interaction: "
        var fields: [String: JSONValue] = ["last_interaction_date": .null, "days_since_last_interaction": .null]
        if let last {
            let days = ContextFormat.wholeDays(from: last, to: now)
            let day = ContextFormat.day(last)
            interaction += day
            interaction += days <= 0 ? " (today)" : days == 1 ? " (1 day ago)" : " (\(days) days ago)"
            fields["last_interaction_date"] = .string(day)
            fields["days_since_last_interaction"] = .int(Int64(max(0, days)))
        } else {
            interaction += "none recorded"
        }
        interaction += "\n"
        out.append(
            ContextCandidate(
                section: .profile, id: "profile:last-interaction", text: interaction,
                fields: { [fields, interaction] in Self.text(fields, interaction) }, tier: nil, key: (0, 0)))
    }

    // MARK: Contacts

    private static func roleRank(_ role: ContactRole) -> Double {
        switch role {
        case .user: 0
        case .influencer: 1
        case .champion: 2
        case .decisionMaker: 3
        }
    }

    private func appendContacts(_ snapshot: ClientSnapshot, to out: inout [ContextCandidate]) {
        // Decision-makers first in the text, as they matter most.
        let contacts = snapshot.contacts.enumerated().sorted { lhs, rhs in
            let l = Self.roleRank(lhs.element.role)
            let r = Self.roleRank(rhs.element.role)
            return l != r ? l > r : lhs.offset < rhs.offset
        }
        for (index, contact) in contacts {
            let id = Self.itemID("contact", contact.id, index)
            // Name, title, email and phone may come from an import or an email: one fence for the four.
            let written = [contact.name, contact.title, contact.email, contact.phone].compactMap { $0 }
            let line = "- " + ContextFormat.untrusted(written.joined(separator: ", ")) + " ("
                + contact.role.rawValue + ")\n"
            let fields: () -> JSONValue = { [line] in
                func fenced(_ text: String?) -> JSONValue {
                    text.map { .string(ContextFormat.untrusted($0)) } ?? .null
                }
                return Self.text(
                    [
                        "name": fenced(contact.name), "role": .string(contact.role.rawValue), "title": fenced(contact.title),
                        "email": fenced(contact.email), "phone": fenced(contact.phone),
                    ], line)
            }
            out.append(
                ContextCandidate(
                    section: .contacts, id: id, text: line, fields: fields,
                    tier: .contact, key: (Self.roleRank(contact.role), -Double(index))))
        }
    }

    // MARK: Memory

    /// The source of memory a team member entered through KAM (`kam remember`), the only text in a
    /// context that is not fenced as untrusted.
    public static let teamSource = "user"

    /// Memory the account team entered itself through KAM is trusted; anything else (an import, an email,
    /// a model) is fenced. An import never records this source, whatever its file says.
    public static func isTrustedSource(_ source: String) -> Bool {
        source == teamSource
    }

    private func appendMemory(_ snapshot: ClientSnapshot, to out: inout [ContextCandidate]) {
        let items = snapshot.memory.enumerated().sorted { lhs, rhs in
            let l = lhs.element
            let r = rhs.element
            if l.kind != r.kind { return l.kind == .preference }
            if l.key != r.key { return l.key < r.key }
            return lhs.offset < rhs.offset
        }
        for (index, item) in items {
            let id = Self.itemID("memory", item.id, index)
            let trusted = Self.isTrustedSource(item.source)
            let value = trusted ? ContextFormat.field(item.value) : UntrustedText.fence(item.value, source: id)
            let key = ContextFormat.code(item.key)
            let source = ContextFormat.code(item.source)
            var line = "- " + (item.kind == .preference ? "Preference " : "Fact ") + key
            line += ": " + value + " (source: " + source
            if item.confidence < 1 { line += ", confidence " + ContextFormat.amount(item.confidence) }
            line += ")\n"
            let fields: () -> JSONValue = { [line] in Self.text(
                [
                    "kind": .string(item.kind.rawValue), "key": .string(key), "value": .string(value),
                    "source": .string(source), "confidence": .double(item.confidence), "trusted": .bool(trusted),
                    "updated": .string(ContextFormat.day(item.updatedAt)),
                ], line) }
            let low = item.confidence < Self.lowConfidence
            out.append(
                ContextCandidate(
                    section: .memory, id: id, text: line, fields: fields, tier: low ? .lowConfidenceMemory : .memory,
                    key: low
                        ? (item.confidence, item.updatedAt.timeIntervalSince1970)
                        : ((trusted ? 1 : 0) + item.confidence / 2, item.updatedAt.timeIntervalSince1970)))
        }
    }

    // MARK: Activities

    /// Notes, and activities whose sentiment is known to be neutral, say the least about the account.
    public static func isLowSignal(_ activity: Activity) -> Bool {
        if activity.kind == .note { return true }
        if let sentiment = activity.sentiment { return abs(sentiment) < neutralSentiment }
        return false
    }

    private func appendActivities(_ snapshot: ClientSnapshot, now: Date, to out: inout [ContextCandidate]) {
        let since = windowStart(now: now)
        var contactNames: [Int64: String] = [:]
        for contact in snapshot.contacts {
            if let id = contact.id { contactNames[id] = contact.name }
        }
        let activities = snapshot.activities.enumerated()
            .filter { $0.element.occurredAt >= since }
            .sorted { lhs, rhs in
                lhs.element.occurredAt != rhs.element.occurredAt
                    ? lhs.element.occurredAt > rhs.element.occurredAt : lhs.offset < rhs.offset
            }
        let limit = max(0, options.maxActivityCharacters)
        for (index, activity) in activities {
            let id = Self.itemID("activity", activity.id, index)
            let day = ContextFormat.day(activity.occurredAt)
            var line = "- " + day + " " + activity.direction.rawValue + " " + activity.kind.rawValue
            let contact = activity.contactID.flatMap { contactNames[$0] }
            if let sentiment = activity.sentiment { line += " (sentiment " + ContextFormat.signed(sentiment) + ")" }
            let subject = activity.subject.map { ContextFormat.truncated($0, to: min(limit, 200)) }
            let body = activity.body.map { ContextFormat.truncated($0, to: limit) }
            // The contact's name, the subject and the body in one fence: none of them was written by the team.
            var content = ""
            if let contact { content = (activity.direction == .inbound ? "From: " : "With: ") + ContextFormat.oneLine(contact) }
            if let subject, !subject.isEmpty { content += (content.isEmpty ? "" : "\n") + "Subject: " + subject }
            if let body, !body.isEmpty { content += content.isEmpty ? body : "\n" + body }
            if !content.isEmpty { line += ": " + UntrustedText.fence(content, source: id) }
            line += "\n"
            let fields: () -> JSONValue = { [line] in Self.text(
                [
                    "id": .string(id), "date": .string(day),
                    "days_ago": .int(Int64(max(0, ContextFormat.wholeDays(from: activity.occurredAt, to: now)))),
                    "kind": .string(activity.kind.rawValue), "direction": .string(activity.direction.rawValue),
                    "contact": contact.map { .string(ContextFormat.untrusted($0)) } ?? .null,
                    "sentiment": activity.sentiment.map { .double($0) } ?? .null,
                    "subject": subject.map { .string(UntrustedText.fence($0, source: id)) } ?? .null,
                    "body": body.map { .string(UntrustedText.fence($0, source: id)) } ?? .null,
                ], line) }
            out.append(
                ContextCandidate(
                    section: .activities, id: id, text: line, fields: fields,
                    tier: Self.isLowSignal(activity) ? .lowSignalActivity : .activity,
                    key: (activity.occurredAt.timeIntervalSince1970, -Double(index))))
        }
    }

    // MARK: Deals

    private func appendDeals(_ snapshot: ClientSnapshot, now: Date, to out: inout [ContextCandidate]) {
        let deals = snapshot.openDeals.enumerated().filter { $0.element.stage.isOpen }.sorted { lhs, rhs in
            let l = lhs.element.amount * lhs.element.probability
            let r = rhs.element.amount * rhs.element.probability
            return l != r ? l > r : lhs.offset < rhs.offset
        }
        for (index, deal) in deals {
            let id = Self.itemID("deal", deal.id, index)
            let days = deal.daysInStage(at: now)
            let name = ContextFormat.untrusted(deal.name)
            var line = "- " + name + ": " + deal.stage.rawValue + " for "
            line += days == 1 ? "1 day" : String(days) + " days"
            line += ", " + ContextFormat.money(deal.amount, deal.currency)
            line += ", probability " + ContextFormat.percent(deal.probability)
            if let close = deal.closeDate { line += ", expected close " + ContextFormat.day(close) }
            line += "\n"
            let fields: () -> JSONValue = { [line] in Self.text(
                [
                    "name": .string(name), "stage": .string(deal.stage.rawValue), "days_in_stage": .int(Int64(days)),
                    "amount": .double(deal.amount), "currency": .string(ContextFormat.code(deal.currency)),
                    "probability": .double(deal.probability),
                    "close_date": deal.closeDate.map { .string(ContextFormat.day($0)) } ?? .null,
                ], line) }
            out.append(
                ContextCandidate(
                    section: .deals, id: id, text: line, fields: fields, tier: .deal,
                    key: (deal.amount * deal.probability, -Double(index))))
        }
    }

    // MARK: Tasks

    private func appendTasks(_ snapshot: ClientSnapshot, now: Date, to out: inout [ContextCandidate]) {
        let far = Date.distantFuture
        let tasks = snapshot.pendingTasks.enumerated().filter { $0.element.status.isPending }.sorted { lhs, rhs in
            let lo = lhs.element.isOverdue(at: now)
            let ro = rhs.element.isOverdue(at: now)
            if lo != ro { return lo }
            let ld = lhs.element.due ?? far
            let rd = rhs.element.due ?? far
            if ld != rd { return ld < rd }
            if lhs.element.priority != rhs.element.priority { return lhs.element.priority.rank > rhs.element.priority.rank }
            return lhs.offset < rhs.offset
        }
        for (index, task) in tasks {
            let id = Self.itemID("task", task.id, index)
            let overdue = task.isOverdue(at: now)
            var line = "- "
            var daysOverdue = 0
            if overdue, let due = task.due {
                daysOverdue = max(0, ContextFormat.wholeDays(from: due, to: now))
                line += daysOverdue == 0 ? "OVERDUE (due today): " : daysOverdue == 1 ? "OVERDUE by 1 day: " : "OVERDUE by \(daysOverdue) days: "
            }
            // A title may come from an import, an inbound email's action items, a suggestion built from imported
            // names or `kam task add`; with no provenance per field (an import may rewrite what a person
            // typed), every title is fenced.
            let title = ContextFormat.untrusted(task.title)
            let assignee = task.assignee.map { ContextFormat.code($0) }
            line += title + " ("
            if let due = task.due { line += "due " + ContextFormat.day(due) + ", " }
            line += "priority " + task.priority.rawValue
            if task.status != .open { line += ", " + task.status.rawValue }
            if let assignee { line += ", assignee " + assignee }
            line += ")\n"
            let fields: () -> JSONValue = { [line] in Self.text(
                [
                    "title": .string(title), "due": task.due.map { .string(ContextFormat.day($0)) } ?? .null,
                    "priority": .string(task.priority.rawValue), "status": .string(task.status.rawValue),
                    "assignee": Self.optional(assignee), "overdue": .bool(overdue),
                    "days_overdue": overdue ? .int(Int64(daysOverdue)) : .null,
                ], line) }
            let tier: ContextDropTier
            let key: (Double, Double)
            let rank = Double(task.priority.rank)
            if overdue {
                tier = .overdueTask
                key = (rank, now.timeIntervalSince(task.due ?? now))
            } else {
                tier = task.priority.rank <= TaskPriority.medium.rank ? .lowPriorityTask : .task
                key = (rank, -(task.due ?? far).timeIntervalSince1970)
            }
            out.append(
                ContextCandidate(
                    section: .tasks, id: id, text: line, fields: fields, tier: tier,
                    key: key))
        }
    }

    // MARK: Orders

    /// Orders with these statuses are not counted in totals nor top products.
    public static let voidOrderStatuses: Set<String> = ["cancelled", "canceled", "refunded", "void"]

    private func appendOrders(_ snapshot: ClientSnapshot, to out: inout [ContextCandidate]) {
        let orders = snapshot.orders.enumerated().sorted { lhs, rhs in
            lhs.element.orderedAt != rhs.element.orderedAt
                ? lhs.element.orderedAt > rhs.element.orderedAt : lhs.offset < rhs.offset
        }.map(\.element)
        let counted = orders.filter { !Self.voidOrderStatuses.contains($0.status.lowercased()) }
        var totals: [String: Double] = [:]
        var products: [String: (orders: Int, quantity: Int, latest: Date)] = [:]
        for order in counted {
            totals[order.currency, default: 0] += order.amount
            var product = products[order.product] ?? (0, 0, order.orderedAt)
            product.orders += 1
            product.quantity += order.quantity
            product.latest = max(product.latest, order.orderedAt)
            products[order.product] = product
        }
        let top = products.sorted { lhs, rhs in
            if lhs.value.orders != rhs.value.orders { return lhs.value.orders > rhs.value.orders }
            if lhs.value.quantity != rhs.value.quantity { return lhs.value.quantity > rhs.value.quantity }
            return lhs.key < rhs.key
        }.prefix(max(0, options.topProducts))
        let currencies = totals.keys.sorted()
        // Product names and currencies came from an import: fenced like every other name.
        let product = ContextFormat.untrusted

        var line = "- "
        var fields: [String: JSONValue] = [
            "count": .int(Int64(counted.count)),
            "totals": .object(
                Dictionary(totals.map { (ContextFormat.code($0.key), $0.value) }, uniquingKeysWith: +)
                    .mapValues { .double($0) }),
            "top_products": .array(
                top.map {
                    .object([
                        "product": .string(product($0.key)), "orders": .int(Int64($0.value.orders)),
                        "quantity": .int(Int64($0.value.quantity)),
                    ])
                }),
            "last_order_date": .null,
        ]
        if counted.isEmpty {
            line += "No orders yet"
        } else {
            line += counted.count == 1 ? "1 order, " : String(counted.count) + " orders, "
            line += currencies.map { ContextFormat.money(totals[$0] ?? 0, $0) }.joined(separator: " + ") + " in total"
            let last = counted[0]
            line += "; last order " + ContextFormat.day(last.orderedAt) + " (" + product(last.product)
            line += " x" + String(last.quantity) + ", " + ContextFormat.money(last.amount, last.currency) + ")"
            fields["last_order_date"] = .string(ContextFormat.day(last.orderedAt))
            if !top.isEmpty {
                line += "; top products: "
                line += top.map { name, value in
                    product(name) + " (" + (value.orders == 1 ? "1 order" : String(value.orders) + " orders") + ")"
                }.joined(separator: ", ")
            }
        }
        let voided = orders.count - counted.count
        if voided > 0 { line += voided == 1 ? "; 1 cancelled or refunded" : "; \(voided) cancelled or refunded" }
        fields["voided"] = .int(Int64(voided))
        line += "\n"
        out.append(
            ContextCandidate(
                section: .orders, id: Self.orderSummaryID, text: line, fields: { [fields, line] in Self.text(fields, line) },
                tier: .orderSummary, key: (0, 0)))

        for (index, order) in orders.prefix(max(0, options.recentOrderLines)).enumerated() {
            let id = Self.itemID("order", order.id, index)
            let product = ContextFormat.untrusted(order.product)
            let status = ContextFormat.code(order.status)
            var line = "- " + ContextFormat.day(order.orderedAt) + " " + product
            line += " x" + String(order.quantity) + ", " + ContextFormat.money(order.amount, order.currency)
            line += " (" + status + ")\n"
            let fields: () -> JSONValue = { [line] in Self.text(
                [
                    "date": .string(ContextFormat.day(order.orderedAt)), "product": .string(product),
                    "quantity": .int(Int64(order.quantity)), "amount": .double(order.amount),
                    "currency": .string(ContextFormat.code(order.currency)), "status": .string(status),
                ], line) }
            out.append(
                ContextCandidate(
                    section: .orders, id: id, text: line, fields: fields,
                    tier: .orderLine, key: (order.orderedAt.timeIntervalSince1970, -Double(index))))
        }
    }
}
