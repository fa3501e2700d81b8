"""Findings from incident records: first-due areas that disagree with Brigade's own nearest-station method."""

from brigade.core.errors import UserError
from brigade.core.findings import Finding, finding_provider


@finding_provider("response.first_due_areas")
def first_due_area_findings(period, scope) -> list[Finding]:
    """Stations whose recorded area (the dispatching system's) often names another station than the
    nearest one: the areas may be drawn badly, or the station coordinates are wrong."""
    from brigade.response.rules import load_rules
    from brigade.response.stats import incident_stats

    conf = load_rules()["first_due_check"]
    try:
        comparison = incident_stats(period, scope, record_limit=0)["first_due"].get("comparison")
    except UserError:
        return []
    if not comparison or not comparison["compared"]:
        return []
    bad = sorted((s for s in comparison["stations"] if s["compared"] >= conf["min_calls"]
                  and 1 - s["share_agree"] > conf["max_disagree_share"]), key=lambda s: s["share_agree"])
    if not bad:
        return []
    listed = "、".join(f"{s['station']}（{s['compared'] - s['agree']}/{s['compared']} 起不一致）" for s in bad)
    return [Finding(
        code="response.first_due_disagreement", severity="medium", part="Q2",
        statement=f"接处警系统记录的辖区站与{comparison['against_label']}多有不一致：{listed}，"
                  "需核对辖区划分或消防站坐标。",
        metrics={"compared": comparison["compared"], "agree_share": comparison["share_agree"],
                 "stations": len(bad)},
        evidence=[{"消防站": s["station"], "可比较警情": s["compared"], "一致": s["agree"],
                   "一致率": s["share_agree"]} for s in bad],
    )]
