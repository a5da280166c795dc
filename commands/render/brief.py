"""The committee brief, in Markdown (a text chart) or HTML (an inline SVG chart).

Data is text: in HTML every value goes through ``html.escape`` (never markup), in
Markdown its specials are escaped; in both its control characters are made visible.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

import i18n
from commands.render.card import no_convention
from store.fmt import day, eur, months, number
from store.queries.brief import Brief
from store.queries.orders import OrderRow, status_label
from store.rules.burn import Point
from store.rules.text import visible
from store.rules.vocab import alert_label, decision_label, phase_label

_ = i18n.Domain("cli").gettext
pgettext = i18n.Domain("cli").pgettext
N_ = i18n.N_

# Every alert, in words (budget rules, then the committee's lead times).
ALERT_WORDS = {
    "GAP": N_("The startup is active but no convention is in force."),
    "OVERSPENT": N_("A convention in force has consumed more than its ceiling."),
    "EXPIRING": N_("A convention in force ends within 90 days and no successor is signed."),
    "UNSIGNED": N_("A convention covering today is not signed yet."),
    "EXHAUSTS_BEFORE_END": N_(
        "At the current rate, the money runs out before the convention ends."
    ),
    "UNATTRIBUTED": N_("Money was spent outside any convention."),
    "ENGAGED_AFTER_END": N_("An engagement is dated after its convention's end."),
    "OVERDUE": N_("A deadline has passed without being done."),
    "AMOUNT_UNKNOWN": N_("A ceiling is unknown: the envelope cannot be totalled."),
    "END_UNKNOWN": N_("A convention in force has no known end date."),
    "UNDERSPEND": N_(
        "At the current rate, more than a fifth of a ceiling would be left unengaged at its "
        "convention's end, or this year's CP would not all be paid."
    ),
    "CP_UNPAID": N_("CP scheduled for this year will not all be paid by the payment cut-off."),
    "ORDER_LATE": N_("An order has no service fait past its expected delivery date."),
    "PAID_BEYOND_SF": N_("More is paid on an order than its services faits say was delivered."),
    "NO_COMMITTEE_BEFORE_EXHAUSTION": N_(
        "The money runs out within 45 days and no committee is scheduled before that day."
    ),
    "ENDS_BEFORE_COMMITTEE": N_(
        "A convention in force ends within six months, no committee reviewing the startup "
        "is scheduled before its end and no successor is signed."
    ),
    "FUNDING_UNSIGNED": N_(
        "A committee decided to fund more than 30 days ago and no convention or avenant "
        "carrying it is signed."
    ),
}
# The series of ``startups burn --format json`` the HTML chart draws (engaged_eur is
# consumed_eur under its AE name: drawn once, as consumed).
SERIES = ("envelope_eur", "consumed_eur", "paid_eur", "remaining_eur", "projected_eur")
SERIES_WORDS = {
    "envelope_eur": N_("envelope"),
    "consumed_eur": N_("engaged (AE)"),
    "paid_eur": N_("paid (CP)"),
    "remaining_eur": N_("left to engage"),
    "projected_eur": N_("projected"),
}
COLOURS = {
    "envelope_eur": "#000091",
    "consumed_eur": "#e1000f",
    "paid_eur": "#6a6af4",
    "remaining_eur": "#18753c",
    "projected_eur": "#b34000",
}


def alert_words(code: str) -> str:
    """An alert in a sentence; a code with no sentence yet in the portfolio's words."""
    return _(ALERT_WORDS[code]) if code in ALERT_WORDS else alert_label(code)


def month_words(month: str) -> str:
    """``2018-09`` → ``09/2018`` (English: as it is)."""
    if i18n.current() != "fr" or len(month) != 7:
        return month
    return f"{month[5:]}/{month[:4]}"


# --- the facts, as rows of text (shared by both formats) ------------------------------------


def _title(b: Brief) -> str:
    c = b.card
    if b.committee is not None:
        return _("{title} — investment committee of {day}").format(
            title=c.title, day=day(b.committee)
        )
    return _("{title} — brief for the investment committee").format(title=c.title)


def _subtitle(b: Brief) -> str:
    c = b.card
    parts = [_("as of {day}").format(day=day(c.as_of))]
    if c.incubator_title or c.incubator:
        parts.append(_("incubator: {name}").format(name=c.incubator_title or c.incubator))
    if c.sponsors:
        names = ", ".join(s["acronym"] or s["name"] or s["slug"] for s in c.sponsors)
        parts.append(_("sponsors: {names}").format(names=names))
    return " · ".join(parts)


def _phase_rows(b: Brief) -> list[list[str]]:
    """The phases known on the brief's day (begun by then), each ending where it says or
    where the next one begins."""
    on = b.card.as_of
    known = [p for p in b.card.phases if p.start is None or p.start <= on]
    rows = []
    for i, p in enumerate(known):
        nxt = known[i + 1].start if i + 1 < len(known) else None
        rows.append(
            [phase_label(p.name) + (" ←" if p.current else ""), day(p.start), day(p.end or nxt)]
        )
    return rows


def _kpi_rows(b: Brief) -> list[list[str]]:
    rows = []
    for row in b.kpis:
        k = row.kpi
        unit = f" {k.unit}" if k.unit else ""
        if k.target is None:
            target = "—"
        else:
            sign = "≤" if k.direction == "at_most" else "≥"
            target = f"{sign} {number(k.target)}{unit}"
            if k.target_date:
                target += " " + _("by {day}").format(day=day(k.target_date))
        latest = (
            _("none")
            if k.latest_value is None
            else f"{number(k.latest_value)}{unit} ({day(k.latest_date)})"
        )
        cost = "—" if row.cost_per_use_cents is None else eur(row.cost_per_use_cents, decimals=True)
        rows.append([k.metric, target, latest, cost])
    return rows


def _money_rows(b: Brief) -> list[list[str]]:
    return [
        [
            f"#{m.id} {m.title or ''}".strip(),
            eur(m.ceiling_cents),
            eur(m.engaged_cents),
            eur(m.paid_cents, unknown=_("not tracked")),
            eur(m.left_cents),
            eur(m.to_pay_cents),
            day(m.ends_on, unknown=pgettext("an end, a runway", "unknown")),
        ]
        for m in b.money
    ]


def _money_facts(b: Brief) -> list[str]:
    a = b.card.assessment
    envelope = (
        eur(a.envelope_cents, unknown=pgettext("an envelope", "unknown"))
        if a.conventions_in_force
        else _("no convention in force")
    )
    runway = (
        pgettext("an end, a runway", "unknown")
        if a.runway_months is None and a.remaining_cents is None
        else months(a.runway_months, unknown=_("no end in sight at this rate"))
    )
    without = no_convention(a)

    def money(cents: int | float | None) -> str:
        """As show says it: with no convention, a sum of nothing recorded is —, not 0 €."""
        return "—" if without and not cents else eur(cents)

    facts = [
        _("Envelope in force: {amount}").format(amount=envelope),
        _("Engaged (AE): {engaged}; left to engage: {left}").format(
            engaged=money(a.engaged_cents), left="—" if without else eur(a.remaining_cents)
        ),
        _("Paid (CP): {paid}; left to pay: {to_pay}").format(
            paid=money(a.paid_cents), to_pay=money(a.to_pay_cents)
        ),
    ]
    if a.cp_left_this_year_cents is not None:
        facts.append(
            _("CP scheduled for {year} and not paid yet: {amount}").format(
                year=b.card.as_of.year, amount=eur(a.cp_left_this_year_cents)
            )
        )
    facts += [
        _("Current rate of engagement (90 days): {amount} a month; runway: {runway}").format(
            amount=money(a.burn_rate_cents_per_month), runway=runway
        ),
        _("Engaged over the last 12 months: {amount}").format(amount=eur(b.annual_spending_cents)),
    ]
    if b.lead.exhausts_on is not None:
        facts.append(
            _("At the current rate, the money runs out on {day}.").format(
                day=day(b.lead.exhausts_on)
            )
        )
    if b.lead.staffing_exhausts_on is not None:
        facts.append(
            _("At the staffing plan's rate, the money lasts until {day}.").format(
                day=day(b.lead.staffing_exhausts_on)
            )
        )
    return facts


def _request_rows(b: Brief) -> list[list[str]]:
    r = b.request
    rows = [
        [
            _("Staffing plan: headcount × daily rate × {n} working days").format(n=r.working_days),
            (
                _("no staffing plan for the period")
                if not r.staffing_planned
                else eur(r.staffing_cents, unknown=_("unknown (a daily rate or a date missing)"))
            ),
        ],
        [_("At the current rate of engagement"), eur(r.current_rate_cents)],
    ]
    if r.requested_cents is not None:
        rows.append([_("Asked for by the team"), eur(r.requested_cents)])
    if r.requested_team:
        rows.append([_("Team asked for"), r.requested_team])
    return rows


def _team_rows(b: Brief) -> list[list[str]]:
    return [
        [
            s.role,
            number(s.headcount),
            f"{day(s.starts_on)} → {day(s.ends_on)}",
            eur(s.daily_rate_cents),
        ]
        for s in b.card.staffing
    ]


def _order_rows(b: Brief) -> list[list[str]]:
    return [
        [
            o.ej or _("no EJ number"),
            o.supplier or _("unknown"),
            day(o.date),
            eur(o.engaged_cents),
            eur(o.service_fait_cents),
            eur(o.paid_cents),
            eur(o.to_pay_cents),
            status_label(o.status),
            "; ".join(_order_alert(o, code) for code in o.alerts(b.card.as_of)) or "—",
        ]
        for o in b.orders
    ]


def _order_alert(o: OrderRow, code: str) -> str:
    """An order's alert in the portfolio's words (with its expected delivery, when late)."""
    words = alert_label(code)
    if code == "ORDER_LATE" and o.expected_on is not None:
        words += " " + _("(expected on {day})").format(day=day(o.expected_on))
    return words


def _alerts(b: Brief) -> list[str]:
    # The card's alerts, the lead-time ones included: the brief says what show says.
    return [alert_words(code) for code in b.card.assessment.alerts]


def _deadlines(b: Brief) -> list[str]:
    out = []
    for d in b.deadlines:
        line = f"{day(d.date)} — {d.title}"
        if d.overdue:
            line += " " + _("(overdue)")
        out.append(line)
    return out


def _decision_lines(b: Brief) -> list[str]:
    r = b.review
    if r is None:
        return []
    lines = [
        _("Decision: {decision}").format(decision=decision_label(r.decision, r.provisional_months))
    ]
    if r.granted_cents is not None:
        lines.append(_("Granted: {amount}").format(amount=eur(r.granted_cents)))
    if r.convention_id is not None:
        lines.append(_("Carried by convention #{id}").format(id=r.convention_id))
    if r.comment:
        lines.append(_("Note: {text}").format(text=r.comment))
    return lines


def _sections(b: Brief) -> list[tuple[str, str, object, str]]:
    """(kind, heading, content, what an empty one says): ``table`` (header, rows),
    ``list`` (items), ``chart`` (the burn-down's points)."""
    if b.committee is not None and b.committee >= b.card.as_of:
        deadlines_heading = _("Deadlines before the committee")
        no_deadline = _("No deadline before the committee.")
    else:  # no committee ahead: the days after D up to ``deadlines_until``
        until = day(b.deadlines_until)
        deadlines_heading = _("Deadlines up to {day}").format(day=until)
        no_deadline = _("No deadline up to {day}.").format(day=until)
    if b.committee is None:
        no_decision = _("No committee reviewing this startup is recorded.")
    else:
        no_decision = _("No decision recorded.")
    return [
        (
            "table",
            _("Phase and its history"),
            ([_("Phase"), _("Start"), _("End")], _phase_rows(b)),
            _("No phase recorded."),
        ),
        (
            "table",
            _("Impact"),
            (
                [_("Indicator"), _("Target"), _("Latest measure"), _("Cost per use")],
                _kpi_rows(b),
            ),
            _("No impact indicator recorded."),
        ),
        (
            "table",
            _("Money per convention in force"),
            (
                [
                    _("Convention"),
                    _("Ceiling"),
                    _("Engaged (AE)"),
                    _("Paid (CP)"),
                    _("Left to engage"),
                    _("Left to pay"),
                    _("End"),
                ],
                _money_rows(b),
            ),
            _("No convention in force."),
        ),
        ("list", "", _money_facts(b), ""),
        ("chart", _("Burn-down"), b.series, _("No convention to draw.")),
        (
            "table",
            _("Orders in flight"),
            (
                [
                    _("EJ"),
                    _("Supplier"),
                    _("Date"),
                    _("Engaged (AE)"),
                    _("Service fait"),
                    _("Paid (CP)"),
                    _("Left to pay"),
                    _("Status"),
                    _("Alerts"),
                ],
                _order_rows(b),
            ),
            _("No order in flight (open and not fully paid) on that day."),
        ),
        (
            "table",
            _("Request for the next six months ({first} → {last})").format(
                first=day(b.request.first), last=day(b.request.last)
            ),
            ([_("Basis"), _("Amount")], _request_rows(b)),
            "",
        ),
        (
            "table",
            _("Team (staffing plan)"),
            ([_("Role"), _("Headcount"), _("Period"), _("Daily rate")], _team_rows(b)),
            _("No staffing plan recorded."),
        ),
        ("list", _("Alerts"), _alerts(b) or [_("No alert.")], ""),
        (
            "list",
            deadlines_heading,
            _deadlines(b) or [no_deadline],
            "",
        ),
        ("list", _("The committee"), _decision_lines(b) or [no_decision], ""),
    ]


# --- Markdown ------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|"} | {"<": "&lt;"})


def md(value: object, *, block: bool = False) -> str:
    """A value as Markdown text: visible, its specials escaped (never markup); as a
    paragraph of its own (``block``), a leading ``#``, ``>``, ``-``, ``+`` or ``=`` escaped
    too (never a heading, quote or list)."""
    text = visible(str(value)).translate(_MD_SPECIAL)
    return "\\" + text if block and text and text[0] in "#>-+=" else text


def text_chart(points: Sequence[Point], width: int = 30) -> list[str]:
    """The burn-down as text, one line a month: the money left to engage (actual ``█``,
    projected at the current rate ``░``) as a bar, then what was engaged (AE) and paid
    (CP) by then.  Where no month has a known remainder (a ceiling unknown), the bar is
    what was engaged."""
    by_left = any(
        (p.remaining_cents if p.consumed_cents is not None else p.projected_cents) is not None
        for p in points
    )
    rows = []
    for p in points:
        actual = p.consumed_cents is not None
        if by_left:
            value = p.remaining_cents if actual else p.projected_cents
        else:
            value = p.consumed_cents
        rows.append((p, actual, value))
    top = max((abs(v) for _p, _a, v in rows if v is not None), default=0) or 1
    lines = []
    for p, actual, value in rows:
        if value is None:
            bar, label = "", eur(None)
        else:
            bar = ("█" if actual else "░") * round(width * max(value, 0) / top)
            label = eur(value)
        line = f"{month_words(p.month)} {bar:<{width}} {label:>11}"
        if actual and by_left:
            line += "  " + _("engaged {engaged} · paid {paid}").format(
                engaged=eur(p.consumed_cents), paid=eur(p.paid_cents)
            )
        elif actual:
            line += "  " + _("paid {paid}").format(paid=eur(p.paid_cents))
        lines.append(line.rstrip())
    return lines


def chart_legend(points: Sequence[Point]) -> str:
    if any(
        (p.remaining_cents if p.consumed_cents is not None else p.projected_cents) is not None
        for p in points
    ):
        return _(
            "█ left to engage (actual), ░ projected at the current rate; "
            "engaged (AE) and paid (CP) to date, month by month"
        )
    return _("The ceiling is unknown, so nothing is left to draw: █ engaged (AE) to date.")


def markdown(briefs: Sequence[Brief]) -> str:
    pages = []
    for b in briefs:
        out = [f"# {md(_title(b))}", "", f"*{md(_subtitle(b))}*", ""]
        if b.card.mission:
            out += [md(b.card.mission, block=True), ""]
        for kind, heading, content, empty in _sections(b):
            if heading:
                out += [f"## {md(heading)}", ""]
            if kind == "table":
                header, rows = content  # type: ignore[misc]
                if not rows:
                    out += [md(empty, block=True), ""]
                    continue
                out.append("| " + " | ".join(md(h) for h in header) + " |")
                out.append("|" + "|".join("---" for _h in header) + "|")
                out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
                out.append("")
            elif kind == "list":
                out += [f"- {md(item)}" for item in content] + [""]  # type: ignore[union-attr]
            else:
                points = content
                if not points:
                    out += [md(empty, block=True), ""]
                    continue
                out += [
                    "```text",
                    *text_chart(points),  # type: ignore[arg-type]
                    "```",
                    "",
                    md(chart_legend(points), block=True),  # type: ignore[arg-type]
                    "",
                ]
        pages.append("\n".join(out).rstrip() + "\n")
    return "\n---\n\n".join(pages)


# --- HTML ----------------------------------------------------------------------------------


def h(value: object) -> str:
    return html.escape(visible(str(value)), quote=True)


def svg_chart(points: Sequence[Point], width: int = 640, height: int = 240) -> str:
    """The burn-down as an inline SVG: one polyline per series of ``startups burn --format
    json`` (its values in ``data-values``, its months in the chart's ``data-months``)."""
    data = [p.to_dict() for p in points]
    values = [d[k] for d in data for k in SERIES if d[k] is not None]
    top = max([0.0, *values]) or 1.0
    bottom = min([0.0, *values])
    left, right, pad = 70, 10, 20
    span = max(len(data) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * i / span

    def y(v: float) -> float:
        return pad + (height - 2 * pad) * (top - v) / ((top - bottom) or 1)

    months_ = json.dumps([d["month"] for d in data])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="burn" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{h(_("Burn-down"))}" data-months="{h(months_)}">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#999"/>',
        f'<text x="{left - 5}" y="{y(top):.1f}" text-anchor="end" font-size="10">'
        f"{h(eur(top * 100))}</text>",
        f'<text x="{left - 5}" y="{y(0):.1f}" text-anchor="end" font-size="10">{h(eur(0))}</text>',
    ]
    for i, d in enumerate(data):
        if i == 0 or i == len(data) - 1 or len(data) <= 12:
            anchor = "end" if i == len(data) - 1 and i else "middle"
            out.append(
                f'<text x="{x(i):.1f}" y="{height - 4}" text-anchor="{anchor}" font-size="9">'
                f"{h(month_words(d['month']))}</text>"
            )
    for key in SERIES:
        raw = [d[key] for d in data]
        pts = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(raw) if v is not None)
        dash = ' stroke-dasharray="4 3"' if key == "projected_eur" else ""
        out.append(
            f'<polyline class="{key}" fill="none" stroke="{COLOURS[key]}" stroke-width="2"{dash}'
            f' points="{pts}" data-values="{h(json.dumps(raw))}">'
            f"<title>{h(_(SERIES_WORDS[key]))}</title></polyline>"
        )
    out.append("</svg>")
    legend = " ".join(
        f'<span style="color:{COLOURS[k]}">■ {h(_(SERIES_WORDS[k]))}</span>' for k in SERIES
    )
    return "\n".join(out) + f'\n<p class="legend">{legend}</p>'


STYLE = """
body { font-family: Marianne, Arial, sans-serif; max-width: 52rem; margin: 1rem auto; }
section.brief { page-break-after: always; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.2rem; }
"""


def html_page(briefs: Sequence[Brief]) -> str:
    title = _title(briefs[0]) if len(briefs) == 1 else _("Investment committee")
    lang = i18n.current()
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{h(lang)}"><head><meta charset="utf-8">',
        f"<title>{h(title)}</title><style>{STYLE}</style></head><body>",
    ]
    for b in briefs:
        out += [
            '<section class="brief">',
            f"<h1>{h(_title(b))}</h1>",
            f"<p><em>{h(_subtitle(b))}</em></p>",
        ]
        if b.card.mission:
            out.append(f"<p>{h(b.card.mission)}</p>")
        for kind, heading, content, empty in _sections(b):
            if heading:
                out.append(f"<h2>{h(heading)}</h2>")
            if kind == "table":
                header, rows = content  # type: ignore[misc]
                if not rows:
                    out.append(f"<p>{h(empty)}</p>")
                    continue
                out.append("<table><tr>" + "".join(f"<th>{h(c)}</th>" for c in header) + "</tr>")
                out += ["<tr>" + "".join(f"<td>{h(c)}</td>" for c in row) + "</tr>" for row in rows]
                out.append("</table>")
            elif kind == "list":
                out.append("<ul>" + "".join(f"<li>{h(i)}</li>" for i in content) + "</ul>")  # type: ignore[union-attr]
            elif content:
                out.append(svg_chart(content))  # type: ignore[arg-type]
            else:
                out.append(f"<p>{h(empty)}</p>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
