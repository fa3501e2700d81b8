"""Dispatch-system (119/CAD) exports imported through a mapping profile (a YAML file in this folder).

A profile says which foreign column holds which Incident / Dispatch field, how its timestamps and
durations are written and in which time zone, how its call types and real/false alarm column map
to our categories, which brigade and first-due station each call belongs to, and which responding
units a row holds: one vehicle per row (San Francisco), or several unit groups side by side on one
alarm row (a station and a micro fire station). The format is documented in
``docs/import-profiles.md``; the modules: ``spec`` (the profile), ``parse`` (rows → calls),
``write`` (calls → records), ``preview`` (what a dry run shows), ``suggest`` (a draft profile).

Rules that keep counts complete:
- rows sharing the call's key (its number, or a key built from columns) are one incident;
- a timestamp earlier than the one before it in the timeline is impossible; the row is kept, only
  that timestamp is left empty, and the report lists it as a data-quality flag with row and column;
  so are unreadable durations and durations that disagree with their timestamps;
- a row that cannot be read at all is an error, and as with ledgers nothing is imported until it is fixed;
- incidents whose number is already in the database are skipped, so re-importing adds nothing.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from brigade.io.importer import ImportReport
from brigade.io.profiles.parse import parse_rows, text
from brigade.io.profiles.preview import preview_lines
from brigade.io.profiles.spec import PROFILE_DIR, Profile, available_profiles, load_profile
from brigade.io.profiles.write import FALLBACK_STATION, write_calls
from brigade.io.workbook import HEADER_SEARCH_ROWS, ImportFileError, SpreadsheetFile

__all__ = ["FALLBACK_STATION", "PROFILE_DIR", "available_profiles", "header_names", "import_with_profile",
           "load_profile", "read_table"]


def header_names(rows: list[tuple], header_rows: int = 1) -> list[str]:
    """Column names from the last ``header_rows`` rows: a two-row header joins its group row
    (carried right over merged cells) and its field row as "中队/出动时间"; a repeated name gets
    "#2", "#3" so each column can be named."""
    bottom = [text(v) for v in rows[-1]]
    if header_rows == 2 and len(rows) >= 2:
        top, group = [text(v) for v in rows[-2]], ""
        names = []
        for i, name in enumerate(bottom):
            group = top[i] if i < len(top) and top[i] else group
            names.append(f"{group}/{name}" if group and name and group != name else (name or group))
        bottom = names
    seen: dict[str, int] = {}
    out = []
    for name in bottom:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 or not name else f"{name}#{seen[name]}")
    return out


def read_table(source, *, filename: str | None = None, max_bytes: int | None = None) -> tuple[str, list]:
    """The first sheet's rows (row number, cells) of a .xlsx or .csv file, and its file name."""
    book = SpreadsheetFile(source, filename=filename, max_bytes=max_bytes)
    try:
        rows = list(book.sheets()[0].rows)
    finally:
        book.close()
    if not rows:
        raise ImportFileError(f"文件“{book.filename}”中没有任何内容。")
    return book.filename, rows


def find_header(prof: Profile, rows: list, filename: str) -> tuple[int, list[str]]:
    """The header: the first of the top rows (titles above it are skipped) naming every required
    column, trying each header height the profile allows (``header_rows``) in its order."""
    best = None
    for height in prof.header_rows:
        for i in range(height - 1, min(HEADER_SEARCH_ROWS, len(rows))):
            header = header_names([cells for _, cells in rows[i + 1 - height:i + 1]], height)
            missing = prof.resolve(header)
            if not missing:
                return i, header
            if best is None or len(missing) < len(best):
                best = missing
    raise ImportFileError(f"文件“{filename}”不是映射配置“{prof.name}”所描述的格式："
                          f"缺少列 {'、'.join(c.wanted() for c in best or prof.columns())}。")


def import_with_profile(source, *, profile: str, dry_run: bool = False, filename: str | None = None,
                        max_bytes: int | None = None, preview: int = 5) -> ImportReport:
    """Import a dispatch-system export through ``profile``; all or nothing, like a ledger import.

    A dry run also fills ``report.preview``: the first ``preview`` calls with their units and intervals.
    """
    with translation.override(settings.LANGUAGE_CODE):
        prof = Profile(load_profile(profile))
        name, rows = read_table(source, filename=filename, max_bytes=max_bytes)
        report = ImportReport(f"profile:{prof.name}", f"接处警（映射配置 {prof.name}）", name, dry_run)
        report.preview = []
        at, header = find_header(prof, rows, name)
        data = [(n, cells) for n, cells in rows[at + 1:] if any(text(v) for v in cells)]
        report.rows = len(data)
        if not data:
            raise ImportFileError(f"文件“{name}”的表头下面没有数据行，没有可导入的内容。")
        calls, derived = parse_rows(prof, header, data, report)
        if report.errors:
            return report
        if dry_run:
            built = write_calls(prof, calls, report, write=False, derived=derived)
            if not report.errors:
                report.preview = preview_lines(built[:preview])
            return report
        with transaction.atomic():
            write_calls(prof, calls, report, write=True, derived=derived)
            if report.errors:
                transaction.set_rollback(True)
                report.created = 0
        return report
