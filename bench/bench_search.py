"""Company and people search as a search box asks for it: ours (selectors, ORM) against the
same statements written by hand, for an inside rep and for the sales manager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from timing import forget_request_caches, summary, timed

# What reps type: whole names, names as they sound, word starts while typing, city,
# postcode, customer number, two words.
COMPANY_QUERIES = [
    "mueller",
    "Müller",
    "muel",
    "mueller masch",
    "maier",
    "meyer",
    "schmidt",
    "schmitt",
    "huber",
    "technik",
    "kunststoff",
    "logistik",
    "münchen",
    "zuerich",
    "graz",
    "80331",
    "8010",
    "hydro",
    "wagner",
    "bau gmbh",
]
PEOPLE_QUERIES = [
    "mueller",
    "Müller",
    "schmid",
    "meier",
    "anna",
    "thomas mueller",
    "weber",
    "hub",
    "jürgen",
    "fischer",
]
LIMIT = 10


def _scope_sql(user: Any) -> tuple[str, list[Any]]:
    """The territory scope in one condition on the scope columns of ``x``: a company, or a
    person, who carries his company's."""
    from innendienst.accounts.selectors import sees_everything

    if sees_everything(user):
        return "TRUE", []
    sql = (
        "(x.territory_id IN (SELECT t.id FROM accounts_territory t WHERE EXISTS ("
        " SELECT 1 FROM accounts_territory r"
        " WHERE (r.id IN (SELECT territory_id FROM accounts_user_territories WHERE user_id = %s)"
        "  OR r.id IN (SELECT territory_id FROM accounts_team_territories WHERE team_id = %s))"
        " AND t.path LIKE r.path || '%%'))"
        " OR x.inside_rep_id = %s OR x.field_rep_id = %s"
        " OR x.key_account_manager_id = %s)"
    )
    return sql, [user.pk, user.team_id, user.pk, user.pk, user.pk]


def _match(tokens: list[str], column: str) -> tuple[str, list[str]]:
    from innendienst.contacts.search import MIN_PHONETIC_TOKEN_LENGTH
    from innendienst.core.text import PHONETIC_MARK, phonetic_code

    parts, params = [], []
    for token in tokens:
        part = f"{column} LIKE %s"
        params.append(f"%{token}%")
        code = phonetic_code(token)
        if code and len(token) >= MIN_PHONETIC_TOKEN_LENGTH:
            part = f"({part} OR {column} LIKE %s)"
            params.append(f"% {PHONETIC_MARK}{code} %")
        parts.append(part)
    return " AND ".join(parts), params


def _tier(tokens: list[str], column: str) -> tuple[str, list[str]]:
    from innendienst.contacts.search import name_starts

    phrase = " ".join(tokens)
    starts = name_starts(tokens)
    any_start = " OR ".join([f"{column} LIKE %s"] * len(starts))
    literal = " AND ".join([f"{column} LIKE %s"] * len(tokens))
    return (
        f"CASE WHEN ({any_start}) THEN 0 WHEN ({any_start}) THEN 1"
        f" WHEN {column} LIKE %s THEN 2 WHEN {column} LIKE %s THEN 3"
        f" WHEN {literal} THEN 4 ELSE 5 END",
        [f"{start} %" for start in starts]
        + [f"{start}%" for start in starts]
        + [f"% {phrase} %", f"% {phrase}%"]
        + [f"%{token}%" for token in tokens],
    )


class RawSearch:
    """The search of ``contacts.search.best_ids`` as hand-written statements."""

    def __init__(self, *, table: str, order: str, window: int, fetch: str) -> None:
        self.table, self.order = table, order
        self.window, self.fetch = window, fetch
        # The order over the table's alias "x", and the columns it needs from the window.
        self.qualified_order = ", ".join(f"x.{term}" for term in order.split(", "))
        self.columns = "".join(
            f", x.{term.split()[0]}"
            for term in order.split(", ")
            if term.split()[0] not in ("id", "search_text")
        )
        # People are ranked in the order of their search text: a prefix tier needs no sort.
        self.prefix_in_order = order.startswith("search_text")

    def run(self, cursor: Any, user: Any, query: str) -> list[tuple]:
        from innendienst.contacts.search import WIDER_WINDOW_FACTOR, name_starts, tokens_of

        tokens = tokens_of(query)
        scope, scope_params = _scope_sql(user)
        match, match_params = _match(tokens, "x.search_text")
        tier, tier_params = _tier(tokens, "x.search_text")

        def window_hits(window: int) -> tuple[int, list[tuple[int, int]]]:
            cursor.execute(
                f"WITH first_rows AS (SELECT x.id, x.search_text{self.columns}"
                f" FROM {self.table} x WHERE {scope}"
                f" ORDER BY {self.qualified_order} LIMIT %s)"
                " SELECT seen.rows_read, ranked.id, ranked.tier"
                " FROM (SELECT COUNT(*) AS rows_read FROM first_rows) seen LEFT JOIN ("
                f"SELECT id, tier, ROW_NUMBER() OVER (PARTITION BY tier ORDER BY {self.order})"
                f" AS place FROM (SELECT x.*, {tier} AS tier FROM first_rows x"
                f" WHERE {match}) hits) ranked ON ranked.place <= %s"
                " ORDER BY ranked.tier, ranked.place",
                [*scope_params, window, *tier_params, *match_params, LIMIT],
            )
            rows = cursor.fetchall()
            return rows[0][0], [(pk, hit_tier) for _read, pk, hit_tier in rows if pk is not None]

        rows_read, in_window = window_hits(self.window)
        text = 'x.search_text COLLATE "C"' if self.prefix_in_order else "x.search_text"
        starts = name_starts(tokens)
        any_start = " OR ".join([f"{text} LIKE %s"] * len(starts))
        whole_words = [f"{start} %" for start in starts]
        prefixes = [f"{start}%" for start in starts]
        complete = rows_read < self.window
        found: list[int] = []
        for current, condition, params in (
            (0, f"({any_start})", whole_words),
            (1, f"({any_start}) AND NOT ({any_start})", [*prefixes, *whole_words]),
        ):
            need = LIMIT - len(found)
            hits = [pk for pk, hit_tier in in_window if hit_tier == current]
            if len(hits) < need and not complete:
                if self.prefix_in_order and len(starts) == 1:
                    order, order_params = self.qualified_order, []
                else:
                    order, order_params = f"{tier}, {self.qualified_order}", tier_params
                cursor.execute(
                    f"SELECT x.id FROM {self.table} x WHERE {scope} AND {condition}"
                    f" ORDER BY {order} LIMIT %s",
                    [*scope_params, *params, *order_params, need],
                )
                hits = [row[0] for row in cursor.fetchall()]
            found += hits[:need]
        need = LIMIT - len(found)
        rest = [pk for pk, hit_tier in in_window if hit_tier > 1]
        if need > 0 and len(rest) < need and not complete:
            wider = self.window * WIDER_WINDOW_FACTOR
            rows_read, in_window = window_hits(wider)
            complete = rows_read < wider
            rest = [pk for pk, hit_tier in in_window if hit_tier > 1]
        if need > 0 and len(rest) < need and not complete:
            cursor.execute(
                f"SELECT x.id FROM {self.table} x WHERE {scope} AND {match}"
                f" AND NOT ({any_start}) ORDER BY {tier}, {self.qualified_order} LIMIT %s",
                [*scope_params, *match_params, *prefixes, *tier_params, need],
            )
            rest = [row[0] for row in cursor.fetchall()]
        found += rest[: max(need, 0)]
        cursor.execute(self.fetch, [found])
        by_id = {row[0]: row for row in cursor.fetchall()}
        return [by_id[pk] for pk in found]


def _raw_searches() -> dict[str, RawSearch]:
    from innendienst.contacts.selectors import COMPANY_SEARCH_WINDOW, PERSON_SEARCH_WINDOW

    return {
        "companies": RawSearch(
            table="contacts_company",
            order="last_contact_at DESC NULLS LAST, id",
            window=COMPANY_SEARCH_WINDOW,
            fetch="SELECT id, name, customer_number, postcode, city, status, country"
            " FROM contacts_company WHERE id = ANY(%s)",
        ),
        "people": RawSearch(
            table="contacts_person",
            order='search_text COLLATE "C", id',
            window=PERSON_SEARCH_WINDOW,
            fetch="SELECT p.id, p.first_name, p.last_name, p.title, p.function, c.name"
            " FROM contacts_person p JOIN contacts_company c ON c.id = p.company_id"
            " WHERE p.id = ANY(%s)",
        ),
    }


def _compare(
    user: Any, queries: list[str], ours: Callable[[Any, str], list], raw: RawSearch, repeat: int
) -> dict[str, Any]:
    from django.db import connection

    ours_ms: list[float] = []
    raw_ms: list[float] = []
    hits = {}
    with connection.cursor() as cursor:
        for query in queries:

            def run_raw(query: str = query) -> list[tuple]:
                return raw.run(cursor, user, query)

            def run_ours(query: str = query) -> list[Any]:
                forget_request_caches(user)
                return ours(user, query)

            expected = [row[0] for row in run_raw()]
            got = [hit.pk for hit in run_ours()]
            if expected != got:
                raise SystemExit(f"search mismatch for {query!r}: {expected} != {got}")
            hits[query] = len(got)
            # Interleaved, so both see the same cache and machine load.
            for _ in range(repeat):
                raw_ms.append(timed(run_raw))
                ours_ms.append(timed(run_ours))
    ours_summary, raw_summary = summary(ours_ms), summary(raw_ms)
    return {
        "ours": ours_summary,
        "raw_sql": raw_summary,
        "ratio_p50": round(ours_summary["p50_ms"] / raw_summary["p50_ms"], 2),
        "ratio_p95": round(ours_summary["p95_ms"] / raw_summary["p95_ms"], 2),
        "hits": hits,
    }


def run(*, repeat: int, seed: int, size: str) -> dict[str, Any]:
    from innendienst.accounts.models import User
    from innendienst.contacts.selectors import companies_for, company_search, person_search

    raw = _raw_searches()
    results: dict[str, Any] = {}
    for username in ("innendienst", "leitung"):
        user = User.objects.get(username=username)
        results[f"companies_{username}"] = _compare(
            user, COMPANY_QUERIES, company_search, raw["companies"], repeat
        )
        results[f"people_{username}"] = _compare(
            user, PEOPLE_QUERIES, person_search, raw["people"], repeat
        )
        results[f"visible_companies_{username}"] = companies_for(user).count()
    return results
