"""Findings about where hazards concentrate, by site category (Part 2 Q5, Part 3 N2)."""

from brigade.core.findings import Finding, finding_provider
from brigade.metrics.registry import Context
from brigade.supervision.metrics import hazards_by_category
from brigade.units.models import SiteCategory

# Categories that together hold at least this share of hazards are named as the focus.
FOCUS_SHARE = 0.5


@finding_provider("hazards.top_site_categories")
def top_site_categories(period, scope) -> list[Finding]:
    ctx = Context(period, scope)
    rows = hazards_by_category(ctx, limit=len(SiteCategory.choices))
    total = sum(r["hazards"] for r in rows)
    if not total:
        return []
    focus, covered = [], 0
    for row in rows:
        if covered >= FOCUS_SHARE * total or len(focus) == 3:
            break
        focus.append(row)
        covered += row["hazards"]
    names = "、".join(SiteCategory(r["site_category"]).label for r in focus)
    share = 100.0 * covered / total
    return [
        Finding(
            code="hazards.top_site_categories",
            severity="medium" if share >= 50 else "low",
            statement=f"火灾隐患集中在{names}等场所，占期间发现隐患总数的{share:.1f}%。",
            part="Q5",
            metrics={"hazards_total": total, "focus_hazards": covered, "focus_share_pct": round(share, 1)},
            evidence=[{"场所类别": SiteCategory(r["site_category"]).label, "隐患数": r["hazards"]} for r in rows],
        )
    ]
