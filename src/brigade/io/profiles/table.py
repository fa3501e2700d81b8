"""The table of a dispatch-system export: its rows, and its header (one or two rows, found below titles)."""

from brigade.io.profiles.parse import text
from brigade.io.profiles.spec import Profile
from brigade.io.workbook import HEADER_SEARCH_ROWS, ImportFileError, SpreadsheetFile


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
