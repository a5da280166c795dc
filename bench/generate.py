"""Build a synthetic store for the benchmarks: ``python bench/generate.py --startups N --expenses M``.

The spread is meant to look like a real incubator's, only bigger: sizes follow a
Pareto law (a few large startups hold most of the lines, many small ones hold a
handful); each startup has phases, one to five successive conventions (some
overlapping, some separated by a gap, the last one sometimes still unsigned),
avenants that replace a ceiling or move an end, a few unknown ceilings, AE/CP
schedules, signatures given per party, deadlines, staffing plans and sponsors.

The schema comes from the migrations (``store.db.open_store``); the rows are then
written with ``executemany`` in one transaction through ``sqlite3``, and each
line's ``counted_convention_id`` is computed by the budget rules themselves
(``store.rules.budget.attribute``), once per stretch of days over which the answer
cannot change; each startup's timeline (``startup_state``) comes from
``store.rules.timeline.state_rows``, as the write path makes it.  10,000 startups and
1,000,000 lines take about half a minute on two cores.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from store.facts import conventions_from_rows
from store.rules.budget import (
    Budget,
    ConventionFacts,
    DeadlineFacts,
    PhaseFacts,
    attribute,
    budgets,
)
from store.rules.rollup import COLUMNS as ROLLUP_COLUMNS
from store.rules.rollup import month_rows
from store.rules.timeline import COLUMNS as STATE_COLUMNS
from store.rules.timeline import state_rows

D = dt.date
FIRST_DAY = D(2015, 1, 1)
LAST_START = D(2023, 6, 1)
LAST_DAY = D(2025, 12, 31)
END_STATES = ("abandon", "transfert", "alumni", "opéré")


def _days(n: float) -> dt.timedelta:
    return dt.timedelta(days=int(n))


def _segments(all_budgets: list[Budget]) -> tuple[list[dt.date], list[int | None]]:
    """Days where an unnamed line's attribution may change, and the answer from each on.

    ``attribute`` depends on the date only through the periods' starts and ends, so
    it is asked once per stretch between two such boundaries.
    """
    edges = {dt.date.min}
    for b in all_budgets:
        if b.start is not None:
            edges.add(b.start)
        end = b.final_end()
        if end is not None and end < dt.date.max:
            edges.add(end + dt.timedelta(days=1))
    starts = sorted(edges)
    return starts, [attribute(day, None, all_budgets) for day in starts]


class Generator:
    def __init__(self, startups: int, expenses: int, seed: int):
        self.n = startups
        self.m = expenses
        self.rng = random.Random(seed)
        self.next_convention_id = 1
        self.next_deadline_id = 0
        self.rows: dict[str, list[tuple]] = {
            k: []
            for k in (
                "organisation",
                "incubator",
                "startup",
                "startup_sponsor",
                "phase",
                "convention",
                "convention_party",
                "schedule_line",
                "deadline",
                "staffing_line",
                "consumption_line",
                "consumption_month",
                "startup_state",
            )
        }

    # --- people and places ---------------------------------------------------------------

    def organisations(self) -> None:
        for i in range(1, 41):
            self.rows["organisation"].append(
                (i, f"org-{i:02d}", f"Administration {i}", f"ADM{i}", "ministere", 0, "bench")
            )
        for i in range(1, 16):
            self.rows["incubator"].append(
                (i, f"incubateur-{i:02d}", f"Incubateur {i}", i, 0, "bench")
            )

    # --- one startup ---------------------------------------------------------------------

    def startup(self, sid: int, lines: int) -> None:
        rng = self.rng
        rows = self.rows
        mark = {table: len(written) for table, written in rows.items()}
        born = FIRST_DAY + _days(rng.random() * (LAST_START - FIRST_DAY).days)
        rows["startup"].append((sid, f"s{sid:05d}", f"Startup {sid:05d}", 1 + sid % 15, "bench", 0))
        for position, org in enumerate(rng.sample(range(1, 41), rng.choice((1, 1, 1, 2)))):
            rows["startup_sponsor"].append((sid, org, position))
        day = born
        for name, months in (("investigation", 4), ("construction", 12), ("acceleration", 24)):
            rows["phase"].append((sid, name, day.isoformat(), None))
            day += _days(30 * months * (0.5 + rng.random()))
            if day > LAST_DAY:
                break
        else:
            if rng.random() < 0.4:
                rows["phase"].append((sid, rng.choice(END_STATES), day.isoformat(), None))

        # Successive conventions, each 6 to 24 months, with the occasional gap or overlap.
        facts: list[ConventionFacts] = []
        roots = min(5, 2 + int(lines / 200) + rng.choice((0, 0, 1)))
        start = born + _days(rng.random() * 60)
        total_ceiling = 0
        for k in range(roots):
            if start > LAST_DAY:
                break
            cid = self._cid()
            length = 180 + rng.random() * 540
            end = start + _days(length)
            ceiling = rng.choice((100_000, 150_000, 200_000, 269_700, 300_000, 500_000)) * 100
            unknown_ceiling = rng.random() < 0.04
            pending = k == roots - 1 and rng.random() < 0.08
            signed = None if pending else start - _days(rng.random() * 30)
            per_party = signed is not None and rng.random() < 0.15
            explicit_start = rng.random() < 0.2
            schedule = rng.random() < 0.2
            convention = ConventionFacts(
                id=cid,
                kind="convention",
                signed_on=None if per_party else signed,
                party_signatures=(signed - _days(rng.random() * 10), signed) if per_party else (),
                starts_on=start if explicit_start or (pending and not schedule) else None,
                ends_on=end,
                ceiling_cents=None if unknown_ceiling else ceiling,
                schedule_years=(start.year,) if schedule else (),
            )
            facts.append(convention)
            if not unknown_ceiling:
                total_ceiling += ceiling
            if schedule:
                for year in range(start.year, end.year + 1):
                    share = ceiling // (end.year - start.year + 1)
                    rows["schedule_line"].append((cid, year, share, share))
            if not pending and rng.random() < 0.3:
                concluded = start + _days(length * (0.3 + 0.5 * rng.random()))
                new_ceiling = int(ceiling * 1.2) if rng.random() < 0.7 else None
                new_end = end + _days(180) if rng.random() < 0.5 else None
                avenant = ConventionFacts(
                    id=self._cid(),
                    kind="avenant",
                    parent_id=cid,
                    number=1,
                    signed_on=concluded,
                    ends_on=new_end,
                    ceiling_cents=new_ceiling,
                )
                facts.append(avenant)
                if new_ceiling and not unknown_ceiling:
                    total_ceiling += new_ceiling - ceiling
            start = end + _days(rng.gauss(10, 40))
        for c in facts:
            self._convention_rows(sid, c)

        # Deadlines, a staffing plan now and then.
        for j in range(rng.choice((1, 2, 3, 4))):
            due = born + _days(rng.random() * 1500)
            self.next_deadline_id += 1
            rows["deadline"].append(
                (
                    self.next_deadline_id,
                    sid,
                    None,
                    due.isoformat(),
                    f"Comité d'investissement {j + 1}",
                    "committee",
                    int(due < D(2022, 1, 1) and rng.random() < 0.8),
                )
            )
        if rng.random() < 0.2:
            for role, rate in (("Développeur", 65_000), ("Coach", 70_000), ("Designer", 60_000)):
                if rng.random() < 0.6:
                    s = born + _days(rng.random() * 200)
                    rows["staffing_line"].append(
                        (
                            sid,
                            None,
                            role,
                            rng.choice((1.0, 1.0, 2.0, 0.5)),
                            s.isoformat(),
                            (s + _days(180 + rng.random() * 540)).isoformat(),
                            rate,
                            "bench",
                        )
                    )

        # Consumption lines over the life of the conventions (a few before the first).
        all_budgets = budgets(facts)
        edges, answers = _segments(all_budgets)
        first = born - _days(60)
        last = min(
            max((c.ends_on or born) for c in facts) if facts else born + _days(365), LAST_DAY
        )
        span = max(1, (last - first).days)
        mean = max(1, int(total_ceiling * 0.85 / max(lines, 1)))
        named_ids = [c.id for c in facts if c.kind == "convention"]
        own_lines = []
        for _ in range(lines):
            day = first + _days(rng.random() * span)
            amount = max(100, int(mean * (0.3 + 1.4 * rng.random())))
            kind = "engagement" if rng.random() < 0.1 else "payment"
            named = rng.choice(named_ids) if named_ids and rng.random() < 0.05 else None
            if named is not None:
                counted = attribute(day, named, all_budgets)
            else:
                counted = answers[bisect.bisect_right(edges, day) - 1]
            rows["consumption_line"].append(
                (sid, named, counted, day.isoformat(), amount, kind, "Prestation", "bench")
            )
            own_lines.append((counted, day, amount, kind))
        for r in month_rows(sid, own_lines):
            rows["consumption_month"].append(
                tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r.values())
            )
        self._state(sid, {t: self.rows[t][mark[t] :] for t in mark}, own_lines)

    def _state(self, sid: int, mine: dict[str, list[tuple]], own_lines: list) -> None:
        """The startup's timeline (store.rules.timeline), from its rows as the store reads them."""
        rows = self.rows
        own = mine["convention"]
        parties: dict[int, str] = {}
        for cid, _position, _name, _role, signed in mine["convention_party"]:
            if signed is not None:
                parties[cid] = max(signed, parties.get(cid, signed))
        facts = [
            c
            for _sid, c in conventions_from_rows(
                [
                    (
                        cid,
                        sid,
                        kind,
                        parent,
                        number,
                        title,
                        signed,
                        starts,
                        ends,
                        ceiling,
                        parties.get(cid),
                    )
                    for cid, sid, kind, number, parent, title, signed, starts, ends, ceiling, *_ in own
                ],
                mine["schedule_line"],
            )
        ]
        phases = [
            PhaseFacts(name=name, start=D.fromisoformat(start))
            for _sid, name, start, _end in mine["phase"]
        ]
        deadlines = [
            DeadlineFacts(
                id=did, date=D.fromisoformat(day), title=title, kind=kind, convention_id=cid
            )
            for did, _sid, cid, day, title, kind, done in mine["deadline"]
            if not done
        ]
        engagements: dict[int, list[dt.date]] = {}
        for counted, day, _amount, kind in own_lines:
            if kind == "engagement" and counted is not None:
                engagements.setdefault(counted, []).append(day)
        for r in state_rows(sid, facts, phases, deadlines, engagements):
            rows["startup_state"].append(
                tuple(v.isoformat() if isinstance(v, dt.date) else v for v in r.values())
            )

    def _cid(self) -> int:
        cid = self.next_convention_id
        self.next_convention_id += 1
        return cid

    def _convention_rows(self, sid: int, c: ConventionFacts) -> None:
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        title = "Avenant n° 1" if c.kind == "avenant" else "Convention de service"
        self.rows["convention"].append(
            (
                c.id,
                sid,
                c.kind,
                c.number,
                c.parent_id,
                title,
                iso(c.signed_on),
                iso(c.starts_on),
                iso(c.ends_on),
                c.ceiling_cents,
                0,
                "bench",
            )
        )
        for position, signed in enumerate(c.party_signatures or (None, None)):
            role = "délégant" if position == 0 else "délégataire"
            self.rows["convention_party"].append(
                (c.id, position, f"Partie {position + 1}", role, iso(signed))
            )

    # --- all of it -------------------------------------------------------------------------

    def sizes(self) -> list[int]:
        """Lines per startup: Pareto weights, scaled so that they sum to M exactly."""
        weights = [self.rng.paretovariate(1.16) for _ in range(self.n)]
        scale = self.m / sum(weights)
        sizes = [int(w * scale) for w in weights]
        short = self.m - sum(sizes)
        for i in self.rng.sample(range(self.n), k=min(self.n, abs(short))) if short else ():
            sizes[i] += 1 if short > 0 else (-1 if sizes[i] > 0 else 0)
        while sum(sizes) < self.m:  # only when M exceeds what one pass could place
            sizes[self.rng.randrange(self.n)] += 1
        return sizes

    def run(self) -> None:
        self.organisations()
        for sid, lines in enumerate(self.sizes(), start=1):
            self.startup(sid, lines)


INSERTS = {
    "organisation": "INSERT INTO organisation (id, slug, name, acronym, type, placeholder, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    "incubator": "INSERT INTO incubator (id, slug, title, owner_id, placeholder, source) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "startup": "INSERT INTO startup (id, slug, title, incubator_id, source, upstream_missing) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "startup_sponsor": "INSERT INTO startup_sponsor (startup_id, organisation_id, position) "
    "VALUES (?, ?, ?)",
    "phase": 'INSERT INTO phase (startup_id, name, start, "end") VALUES (?, ?, ?, ?)',
    "convention": "INSERT INTO convention (id, startup_id, kind, number, parent_id, title, "
    "signed_on, starts_on, ends_on, ceiling_cents, placeholder, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "convention_party": "INSERT INTO convention_party (convention_id, position, name, role, "
    "signed_on) VALUES (?, ?, ?, ?, ?)",
    "schedule_line": "INSERT INTO schedule_line (convention_id, year, ae_cents, cp_cents) "
    "VALUES (?, ?, ?, ?)",
    "deadline": "INSERT INTO deadline (id, startup_id, convention_id, date, title, kind, done) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)",
    "staffing_line": "INSERT INTO staffing_line (startup_id, convention_id, role, headcount, "
    "starts_on, ends_on, daily_rate_cents, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "consumption_line": "INSERT INTO consumption_line (startup_id, convention_id, "
    "counted_convention_id, date, amount_cents, kind, label, source) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    # The rollup the write path keeps (store.rules.rollup), from the same function.
    "consumption_month": f"INSERT INTO consumption_month ({', '.join(ROLLUP_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(ROLLUP_COLUMNS))})",
    # The timeline the write path keeps (store.rules.timeline), from the same function.
    "startup_state": f"INSERT INTO startup_state ({', '.join(STATE_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(STATE_COLUMNS))})",
}


def generate(path: Path, startups: int, expenses: int, seed: int = 1) -> dict[str, int]:
    """Write a synthetic store at ``path`` (which must not exist); returns rows per table."""
    from store.open import open_store

    if path.exists():
        raise SystemExit(f"{path}: already exists (the generator never overwrites a file)")
    open_store(str(path), create=True).dispose()
    gen = Generator(startups, expenses, seed)
    gen.run()
    con = sqlite3.connect(path, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=OFF")
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("BEGIN")
        # Building an index once from sorted rows is much faster than growing it row by
        # row: the big tables' indexes are dropped during the load and made again after.
        indexes = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            "AND tbl_name IN ('consumption_line', 'consumption_month', 'startup_state')"
        ).fetchall()
        for name, _sql in indexes:
            con.execute(f'DROP INDEX "{name}"')
        for table, sql in INSERTS.items():
            con.executemany(sql, gen.rows[table])
        for _name, sql in indexes:
            con.execute(sql)
        con.execute("COMMIT")
        con.execute("ANALYZE")
    finally:
        con.close()
    return {table: len(rows) for table, rows in gen.rows.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--startups", type=int, default=10_000)
    parser.add_argument("--expenses", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.startups < 1 or args.expenses < 0:
        parser.error("--startups must be at least 1 and --expenses at least 0")
    began = time.perf_counter()
    counts = generate(args.db, args.startups, args.expenses, args.seed)
    took = time.perf_counter() - began
    summary = ", ".join(f"{n} {t}" for t, n in counts.items() if n)
    print(f"{args.db}: {summary} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
