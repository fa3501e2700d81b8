"""Import a dispatch-system export through a profile: read, find the header, parse, write (or preview)."""

from django.conf import settings
from django.db import transaction
from django.utils import translation

from brigade.io.importer import ImportReport
from brigade.io.profiles.parse import parse_rows, text
from brigade.io.profiles.preview import preview_lines
from brigade.io.profiles.spec import Profile, load_profile
from brigade.io.profiles.table import find_header, read_table
from brigade.io.profiles.write import write_calls
from brigade.io.workbook import ImportFileError


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
