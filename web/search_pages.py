"""Search foods and dishes by name: a page that works without a script, and JSON for the page's script.

``GET /search?q=WORDS&kind=food|dish|any`` lists the foods and dishes whose name or id holds every
word (planner foods first; ``all=1`` adds every food of the table), with their ids to copy into a
form; the forms take names too. ``GET /search.json?q=...`` gives the same for ``static/web.js``,
which offers the matches as suggestions under a food or dish input while typing.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from mealplan.web.base import Web, page

KINDS = ("any", "food", "dish")
MAX_QUERY = 100


def _web(request: Request) -> Web:
    return request.app.state.web


def _query(request: Request) -> tuple[str, str, bool]:
    q = request.query_params.get("q", "")[:MAX_QUERY].strip()
    kind = request.query_params.get("kind", "any")
    return q, kind if kind in KINDS else "any", request.query_params.get("all") == "1"


async def search_page(request: Request) -> Response:
    """The search page: a form, and the matches as a table."""
    q, kind, every = _query(request)

    def run() -> Response:
        found, total = _web(request).names().search(q, kind, limit=60, planner_only=not every) if q else ([], 0)
        return page(
            request,
            "search.html.j2",
            title=f"Search: {q}" if q else "Search foods and dishes",
            q=q,
            kind=kind,
            every=every,
            found=found,
            total=total,
            kinds=KINDS,
        )

    return await run_in_threadpool(run)


async def search_json(request: Request) -> Response:
    """The matches as JSON: ``{"total": N, "found": [{"id", "name", "full", "kind", "category"}]}``."""
    q, kind, every = _query(request)

    def run() -> Response:
        found, total = _web(request).names().search(q, kind, limit=15, planner_only=not every) if q else ([], 0)
        rows = [{"id": m.id, "name": m.name, "full": m.full, "kind": m.kind, "category": m.category} for m in found]
        return JSONResponse({"total": total, "found": rows}, headers={"cache-control": "no-store"})

    return await run_in_threadpool(run)
