"""A Chinese 119 "每日火警详情" export: one row per alarm, the station and the micro fire station side by side.

The files are written here, in both shapes a brigade receives: an .xlsx with a title row and a
two-row merged header (Excel date cells, one date typed as Chinese text), and a GB18030 CSV with a
one-row header. Both go in through the shipped ``cn_daily_alarms`` profile; Brigade's statistics
are then checked against an independent pandas computation from the same file.
"""

import datetime as dt
import re

import numpy as np
import pytest
from openpyxl import Workbook

from brigade.io.profiles.run import import_with_profile

pd = pytest.importorskip("pandas")
pytestmark = pytest.mark.django_db

T0 = dt.datetime(2024, 10, 10, 8, 0, 0)
# (day offset h, 大队, 队站, 街道, 地址, 类型, 性质, 中队出动+s, 中队到场+s, 中队到场用时, 微站调派+s, 微站出动+s,
#  微站到场+s, 微站出动用时) — every time in seconds after the alarm was received; None = empty cell.
ALARMS = [
    (0, "河东大队", "九曲站", "九曲街道", "九曲街道1号", "居民", "实警", 60, 550, "8 分 10 秒", 30, 60, 150, 30),
    (3, "河东大队", "九曲站", "九曲街道", "九曲街道2号", "杂物", "实警", 90, None, "5分4秒", None, None, None, None),
    (7, "河东大队", "城东站", "城东街道", "城东街道3号", "车辆", "实警", 45, 400, "00:05:55", 20, None, 260, 40),
    # 到场用时 8:10 disagrees with its times (4:00): a data-quality flag, the times win.
    (11, "河东大队", "城东站", "城东街道", "城东街道4号", "单位", "实警", 60, 300, "8分10秒", 30, 50, 420, 20),
    # An unreadable duration: flagged, the record kept.
    (20, "兰山大队", "兰山站", "金雀山街道", "金雀山路5号", "电线", "实警", 70, 500, "约8分", 25, 45, 200, 20),
    (26, "河东大队", "九曲站", "九曲街道", "九曲街道6号", "居民", "虚警", 60, 300, None, None, None, None, None),
    (30, "河东大队", "九曲站", "九曲街道", "九曲街道7号", "杂物", "实警", 40, 700, "11分", 15, 40, 190, 25),
    (35, "河东大队", "城东站", "城东街道", "城东街道8号", "居民", "实警", 55, 480, "7分5秒", 35, 65, 320, 30),
    (41, "兰山大队", "兰山站", "金雀山街道", "金雀山路9号", "车辆", "实警", 65, 365, "5分", None, None, None, None),
    (47, "河东大队", "九曲站", "九曲街道", "九曲街道10号", "电线", "实警", 50, 640, "9分50秒", 20, 50, 230, 30),
]
TEXT_DATE_ROW = 6  # this alarm's received time is typed as Chinese text, not an Excel date cell
TOP = ["序号", "立案时间", "所属大队", "所属队站", "所属街道", "火警地址", "火警类型", "警情性质"]
STATION = ["出动时间", "到场时间", "到场用时"]
MICRO = ["调派时间", "出动时间", "到场时间", "出动用时"]
FLAT = TOP + [f"中队{c}" for c in STATION] + [f"微站{c}" for c in MICRO]


def _values(i: int, alarm: tuple, *, as_text: bool) -> list:
    hours, brigade, station, street, address, kind, real, *times = alarm
    received = T0 + dt.timedelta(hours=hours)

    def at(offset):
        if offset is None:
            return None
        moment = received + dt.timedelta(seconds=offset)
        return moment.strftime("%Y-%m-%d %H:%M:%S") if as_text else moment

    st_dep, st_arr, st_dur, mi_disp, mi_dep, mi_arr, mi_dur = times
    rec = received.strftime("%Y年%m月%d日 %H:%M:%S") if i == TEXT_DATE_ROW else at(0)
    return [i + 1, rec, brigade, station, street, address, kind, real, at(st_dep), at(st_arr), st_dur,
            at(mi_disp), at(mi_dep), at(mi_arr), mi_dur]


def write_xlsx(path, alarms=ALARMS):
    wb = Workbook()
    ws = wb.active
    ws.append(["每日火警详情（2024年10月10日—12日）"])
    ws.merge_cells("A1:O1")
    ws.append(TOP + ["中队", None, None, "微型消防站", None, None, None])
    ws.append([None] * len(TOP) + STATION + MICRO)
    for col in "ABCDEFGH":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("I2:K2")
    ws.merge_cells("L2:O2")
    for i, alarm in enumerate(alarms):
        ws.append(_values(i, alarm, as_text=False))
    wb.save(path)
    return path


def write_gb18030_csv(path, alarms=ALARMS):
    lines = [",".join(FLAT)]
    for i, alarm in enumerate(alarms):
        lines.append(",".join("" if v is None else str(v) for v in _values(i, alarm, as_text=True)))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
    return path


@pytest.fixture
def org(db):
    from brigade.org.models import Brigade, Station, Street

    hedong = Brigade.objects.create(name="河东大队")
    lanshan = Brigade.objects.create(name="兰山大队")
    jiuqu = Street.objects.create(brigade=hedong, name="九曲街道")
    Station.objects.create(brigade=hedong, name="九曲站", street=jiuqu, lon=118.40, lat=35.05)
    Station.objects.create(brigade=hedong, name="城东站", lon=118.45, lat=35.06)
    Station.objects.create(brigade=lanshan, name="兰山站", lon=118.35, lat=35.06)
    return {"hedong": hedong, "lanshan": lanshan}


# ---- the analyst's notebook -------------------------------------------------------------------


def _duration_s(text) -> float:
    """What the analyst would write for these duration texts: m分s秒, N分, hh:mm:ss, else NaN."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return np.nan
    text = str(text).replace(" ", "")
    if m := re.fullmatch(r"(\d+)分(?:(\d+)秒)?", text):
        return int(m[1]) * 60 + int(m[2] or 0)
    if re.fullmatch(r"\d+:\d+:\d+", text):
        return pd.to_timedelta(text).total_seconds()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    return np.nan


def pandas_reference(df: "pd.DataFrame") -> dict:
    """Per alarm: the station's and the micro station's arrival, first arrival, total response."""
    df = df.copy()
    for col in ["立案时间", "中队出动时间", "中队到场时间", "微站调派时间", "微站出动时间", "微站到场时间"]:
        text = df[col].astype("string").str.replace("年", "-").str.replace("月", "-").str.replace("日", "")
        df[col] = pd.to_datetime(text, format="mixed")
    st_dur = df["中队到场用时"].map(_duration_s)
    mi_dur = pd.to_numeric(df["微站出动用时"], errors="coerce")
    st_arr = df["中队到场时间"].fillna(df["中队出动时间"] + pd.to_timedelta(st_dur, unit="s"))
    mi_dep = df["微站出动时间"].fillna(df["微站调派时间"] + pd.to_timedelta(mi_dur, unit="s"))
    mi_arr = df["微站到场时间"]
    first = pd.concat([st_arr, mi_arr], axis=1).min(axis=1)
    df["total"] = (first - df["立案时间"]).dt.total_seconds()
    df["micro_first"] = mi_arr.notna() & (st_arr.isna() | (mi_arr < st_arr))
    df["st_arrival"] = (st_arr - df["中队出动时间"]).dt.total_seconds()
    df["mi_arrival"] = (mi_arr - df["微站调派时间"]).dt.total_seconds()
    per_station = df.groupby("所属队站").agg(calls=("序号", "size"), p50=("total", lambda s: s.quantile(0.5)),
                                         p90=("total", lambda s: s.quantile(0.9)))
    disagree = (st_arr.notna() & df["中队到场时间"].notna() & st_dur.notna()
                & (((df["中队到场时间"] - df["中队出动时间"]).dt.total_seconds() - st_dur).abs() > 60))
    return {
        "per_station": per_station, "micro_first": int(df["micro_first"].sum()),
        "with_arrival": int(first.notna().sum()), "micro_dispatches": int(df["微站调派时间"].notna().sum()),
        "micro_p50": df["mi_arrival"].quantile(0.5), "micro_p90": df["mi_arrival"].quantile(0.9),
        "station_p90": df["st_arrival"].quantile(0.9), "false": int((df["警情性质"] == "虚警").sum()),
        "per_brigade": df.groupby("所属大队")["序号"].size().to_dict(),
        "disagree_rows": sorted((df.index[disagree] + 1).tolist()),
        "micro_within_3min": int((df["mi_arrival"] <= 180).sum()),
        "micro_turnout": dict(zip(df["火警地址"], (mi_dep - df["微站调派时间"]).dt.total_seconds(), strict=True)),
    }


def check_against_pandas(ref: dict) -> dict:
    from brigade.response.stats import incident_stats

    d = incident_stats("2024-10", "brigade")
    assert d["summary"]["calls"] == len(ALARMS)
    assert d["first_due"]["method"] == "stored" and d["first_due"]["by_method"] == {"stored": len(ALARMS)}
    rows = {r["station"]: r for r in d["stations"]}
    for name, expected in ref["per_station"].iterrows():
        got = rows[name]
        assert got["calls"] == expected["calls"], name
        assert abs(got["p50"]["total_response"] - expected["p50"]) < 1, (name, got["p50"], expected["p50"])
        assert abs(got["p90"]["total_response"] - expected["p90"]) < 1, (name, got["p90"], expected["p90"])
    kinds = {r["kind"]: r for r in d["unit_kinds"]}
    micro, station = kinds["micro"], kinds["station"]
    assert micro["dispatches"] == ref["micro_dispatches"] and micro["first_arrivals"] == ref["micro_first"]
    assert micro["first_arrival_share"] == round(ref["micro_first"] / ref["with_arrival"], 4)
    assert micro["first_arrival_share"] > 0.5  # the micro stations arrive first in most alarms
    assert abs(micro["arrival"]["p50"] - ref["micro_p50"]) < 1 and abs(micro["arrival"]["p90"] - ref["micro_p90"]) < 1
    assert micro["standard"]["limit_s"] == 180 and "微型消防站" in micro["standard"]["source"]
    assert micro["within_standard"]["within"] == ref["micro_within_3min"]
    assert abs(station["arrival"]["p90"] - ref["station_p90"]) < 1
    assert {r["category"]: r["calls"] for r in d["categories"]}["false"] == ref["false"]
    assert {r["brigade"]: r["calls"] for r in d["brigades"]} == ref["per_brigade"]
    return d


def test_wide_xlsx_with_both_units_and_duration_texts_agrees_with_pandas(tmp_path, org):
    from brigade.org.models import Station
    from brigade.response.models import Dispatch, Incident

    path = write_xlsx(tmp_path / "每日火警详情.xlsx")
    dry = import_with_profile(path, profile="cn_daily_alarms", dry_run=True)
    assert dry.ok, dry.errors
    assert Incident.objects.count() == 0  # the dry run wrote nothing, but shows the first calls with units
    assert dry.preview[0].startswith("警情 HJ20241010080000-") and "辖区站 九曲站" in dry.preview[0]
    assert "九曲街道微型消防站（微型消防站）" in dry.preview[2] and "接警→到场 2分30秒" in dry.preview[2]

    report = import_with_profile(path, profile="cn_daily_alarms")
    assert report.ok, report.errors
    assert report.created == Incident.objects.count() == len(ALARMS)
    assert Dispatch.objects.count() == len(ALARMS) + sum(1 for a in ALARMS if a[10] is not None)
    assert Dispatch.objects.filter(vehicle__isnull=False).count() == 0  # units without vehicle numbers
    micro = Station.objects.filter(kind="micro").order_by("name")
    assert [(s.name, s.street.name if s.street else None) for s in micro] == [
        ("九曲街道微型消防站", "九曲街道"), ("城东街道微型消防站", "城东街道"), ("金雀山街道微型消防站", "金雀山街道")]
    second = Incident.objects.get(address="九曲街道2号")  # 到场时间 empty: from 出动时间 + "5分4秒"
    assert second.dispatches.get().arrived_at - second.dispatches.get().dispatched_at == dt.timedelta(seconds=304)
    assert Incident.objects.get(address="九曲街道1号").alarm_type == "居民"
    assert Incident.objects.get(address="九曲街道6号").category == "false"
    # Data-quality rows: the disagreeing and the unreadable duration; both records kept.
    raw = pd.read_excel(path, header=None, skiprows=3, names=FLAT)
    ref = pandas_reference(raw)
    flagged = sorted((f.row, f.column) for f in report.flags)
    assert flagged == sorted([(r + 3, "中队/到场用时") for r in ref["disagree_rows"]] + [(8, "中队/到场用时")])
    assert "相差超过 60 秒" in next(f.message for f in report.flags if f.row == 7)
    assert "约8分" in next(f.message for f in report.flags if f.row == 8)
    check_against_pandas(ref)
    # 出动用时 (seconds) fills the micro station's missing 出动时间.
    turnout = {d.incident.address: (d.departed_at - d.dispatched_at).total_seconds()
               for d in Dispatch.objects.filter(station__kind="micro").select_related("incident")}
    assert turnout == {k: v for k, v in ref["micro_turnout"].items() if v == v}

    again = import_with_profile(path, profile="cn_daily_alarms")
    assert again.ok and again.created == 0 and again.existing == len(ALARMS)
    assert Incident.objects.count() == len(ALARMS)


def test_gb18030_csv_with_one_row_header_agrees_with_pandas(tmp_path, org):
    from brigade.response.models import Incident

    path = write_gb18030_csv(tmp_path / "火警.csv")
    report = import_with_profile(path, profile="cn_daily_alarms")
    assert report.ok, report.errors
    ref = pandas_reference(pd.read_csv(path, encoding="gb18030"))
    check_against_pandas(ref)
    assert Incident.objects.count() == len(ALARMS)
    # The same alarms as a workbook get the same numbers (a key from received time and address): nothing new.
    xlsx = import_with_profile(write_xlsx(tmp_path / "同一批.xlsx"), profile="cn_daily_alarms")
    assert xlsx.ok and xlsx.created == 0 and xlsx.existing == len(ALARMS)


def test_unknown_station_or_brigade_is_a_row_error_unless_the_profile_creates_it(tmp_path, org):
    from brigade.org.models import Brigade, Station
    from brigade.response.models import Incident

    alarms = [ALARMS[0], (3, "河东大队", "无名站", *ALARMS[1][3:]), (5, "罗庄大队", "罗庄站", *ALARMS[2][3:])]
    path = write_xlsx(tmp_path / "未知.xlsx", alarms)
    report = import_with_profile(path, profile="cn_daily_alarms")
    assert not report.ok and Incident.objects.count() == 0
    assert {(e.row, e.column) for e in report.errors} == {(5, "所属队站"), (6, "所属大队")}
    assert any("无名站" in e.message and "create: true" in e.message for e in report.errors)

    # A copy of the profile that creates unknown brigades and stations imports them.
    from brigade.io.profiles.spec import PROFILE_DIR

    text = (PROFILE_DIR / "cn_daily_alarms.yaml").read_text(encoding="utf-8")
    text = text.replace("  create: false", "  create: true")
    custom = tmp_path / "my_profile.yaml"
    custom.write_text(text, encoding="utf-8")
    report = import_with_profile(path, profile=str(custom))
    assert report.ok, report.errors
    assert Station.objects.filter(name="无名站", brigade__name="河东大队").exists()
    assert Brigade.objects.filter(name="罗庄大队").exists() and Incident.objects.count() == 3


def test_an_alarm_no_unit_went_to_is_still_a_call(tmp_path, org):
    from brigade.response.models import Incident
    from brigade.response.stats import incident_stats

    quiet = (2, "河东大队", "九曲站", "九曲街道", "九曲街道11号", "居民", "虚警", *[None] * 7)
    report = import_with_profile(write_xlsx(tmp_path / "x.xlsx", [ALARMS[0], quiet]), profile="cn_daily_alarms")
    assert report.ok, report.errors
    assert Incident.objects.get(address="九曲街道11号").dispatches.count() == 0
    quality = {q["code"]: q["count"] for q in incident_stats("2024-10", "brigade")["quality"]}
    assert quality["no_dispatch"] == 1
