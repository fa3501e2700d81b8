"""Import a ledger spreadsheet: validate every row, then write all of it or nothing.

The API a web view uses (upload → preview → confirm), the same one the CLI uses::

    report = import_file(path, ledger="inspection", dry_run=True, filename="检查台账.xlsx")
    report.ok, report.errors          # every bad row: RowError(row, column, message)
    report.created, report.existing   # what a real import would add / skip as already present
    report = import_file(path, ledger="inspection")   # confirm: validates again, writes in one transaction

File-level problems raise :class:`~brigade.io.workbook.ImportFileError` (a ``UserError`` with one
Chinese sentence). Row problems never raise: they are collected in the report, and when there is
any, nothing is written.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import translation

from brigade.core.records import sheet_ref_for
from brigade.core.signals import records_bulk_created
from brigade.core.tenancy import brigades_settled, fill_brigade
from brigade.io.cells import CellError, clean_text, is_blank
from brigade.io.ledgers import Column, Ledger, Resolvers, get_ledger, hashable, parse_cell, static_ledgers
from brigade.io.mapping import MappingFileError, ValueMap, remember, remembered
from brigade.io.problems import group_errors
from brigade.io.workbook import HeaderMatch, ImportFileError, SpreadsheetFile, find_header, match_header

BATCH_SIZE = 2000
MAPPABLE_KINDS = ("choice", "ref", "bool")  # a wrong value here is one decision, however many rows hold it
MAX_SUGGESTED = 500  # distinct unknown values given suggestions (the most frequent first)
PARSE_MEMO_SIZE = 20_000  # distinct values remembered per column (codes and names are mostly unique)
EXAMPLE_NOTE = "是模板自带的示例行，已忽略。"


@dataclass(frozen=True)
class RowError:
    """One problem: spreadsheet row number, column header ('' = the whole row) and a Chinese reason."""

    row: int
    column: str
    message: str
    value: str = ""  # the cell as read, when the problem is about it
    mappable: bool = False  # a choice or reference value a mapping could translate (grouped per value)

    def __str__(self):
        where = f"第{self.row}行" if self.row else "文件"
        return f"{where}【{self.column}】：{self.message}" if self.column else f"{where}：{self.message}"


@dataclass
class ImportReport:
    ledger: str
    title: str
    filename: str
    dry_run: bool
    rows: int = 0  # data rows read (blank rows and the template's example row not counted)
    created: int = 0  # written (or, in a dry run, that would be written)
    existing: int = 0  # already in the database: skipped, so importing a file twice adds nothing
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flags: list[RowError] = field(default_factory=list)  # data-quality notes on rows that were kept
    details: dict = field(default_factory=dict)  # per-model counts for multi-model imports (profiles)
    source: str = ""  # where the file comes from (remembered mappings are kept per source)
    unmatched: list = field(default_factory=list)  # Unmatched: values a mapping could fix, with suggestions
    mapped: list = field(default_factory=list)  # Mapped: values translated by an accepted mapping
    to_create: list = field(default_factory=list)  # (kind, name) created (or, in a dry run, to be created)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    @property
    def problems(self) -> list:
        """The errors grouped by cause (see brigade.io.problems), the most frequent first."""
        if getattr(self, "_problems", None) is None or self._problems[0] != len(self.errors):
            self._problems = (len(self.errors), group_errors(self.errors))
        return self._problems[1]

    def summary(self) -> str:
        """One Chinese paragraph: what happened (or would happen)."""
        head = f"“{self.title}”台账，文件“{self.filename}”，共 {self.rows} 行数据"
        if not self.ok:
            return (f"{head}：发现 {len(self.error_rows)} 行有错误（共 {len(self.errors)} 处），"
                    "未导入任何数据。请改正后重新导入。")
        if self.dry_run:
            return (f"{head}：预检通过，确认导入将新增 {self.created} 条，"
                    f"{self.existing} 条已存在将跳过（本次未写入数据库）。")
        if self.created == 0 and self.existing:
            return f"{head}：这些记录都已存在（{self.existing} 条），本次没有新增任何数据（重复导入）。"
        tail = f"，{self.existing} 条已存在（跳过）" if self.existing else ""
        return f"{head}：导入完成，新增 {self.created} 条{tail}。"

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(ok=self.ok, summary=self.summary(), problems=[p.as_dict() for p in self.problems],
                    unmatched=[{**asdict(u), "suggestions": [asdict(s) for s in u.suggestions]} for u in self.unmatched],
                    errors=[{**asdict(e), "text": str(e)} for e in self.errors],
                    flags=[{**asdict(e), "text": str(e)} for e in self.flags])
        return data


@dataclass
class Unmatched:
    """One value of a choice or reference column that Brigade does not know, and what it may be."""

    column: str
    value: str
    count: int
    rows: list[int]
    suggestions: list = field(default_factory=list)  # brigade.io.suggest.Suggestion, best first
    creatable: str = ""  # the kind --create would make of it ("镇街"), if any
    choices: list[str] = field(default_factory=list)  # every value of a choice column


@dataclass
class Mapped:
    column: str
    value: str
    target: str
    count: int
    remembered: bool


class _Rollback(Exception):
    pass


# ---------------------------------------------------------------------------------------------


def import_file(source: str | Path, *, ledger: str | Ledger, dry_run: bool = False, filename: str | None = None,
                max_bytes: int | None = None, mapping: ValueMap | None = None, origin: str | None = None,
                create: dict | None = None, suggest: bool = True, brigade: int | None = None) -> ImportReport:
    """Validate every row of ``source`` against ``ledger``; unless ``dry_run``, write all rows or none.

    ``mapping``: accepted value translations (a mapping file's, the web page's), used with the ones
    remembered for the ledger and ``origin`` (the source office; the mapping's own source if not given);
    a successful import remembers them. ``create``: {model: None or set of names} of missing references
    to create. ``suggest``: offer likely values for the ones not known (report.unmatched).
    ``brigade``: the importing brigade's id — rows may name only its streets, stations and units
    (None: any brigade, as the command line's administrator).
    """
    with translation.override(settings.LANGUAGE_CODE):
        if isinstance(ledger, str):
            try:
                ledger = get_ledger(ledger)
            except LookupError as exc:
                raise ImportFileError(str(exc)) from None
        book = SpreadsheetFile(source, filename=filename, max_bytes=max_bytes)
        try:
            sheet, header = _pick_sheet(book, ledger)
            report = ImportReport(ledger.name, ledger.title, book.filename, dry_run)
            if header.unknown:
                report.warnings.append(f"以下列不属于“{ledger.title}”台账，已忽略：{'、'.join(header.unknown)}。")
            report.source = clean_text(origin if origin is not None else (mapping.source if mapping else ""))
            vmap = _effective_mapping(ledger, header, mapping, report.source, create)
            rows = ((n, cells) for n, cells in sheet.all_rows() if n > header.row_number)
            if dry_run:
                builder = _run(ledger, rows, header, report, write=False, vmap=vmap, create=create,
                               brigade=brigade)
            else:
                try:
                    with transaction.atomic():
                        builder = _run(ledger, rows, header, report, write=True, vmap=vmap, create=create,
                                       brigade=brigade)
                        if report.errors:
                            raise _Rollback
                        remember(ledger.name, vmap)
                except _Rollback:
                    report.created = 0
                    report.to_create = []
            _report_mapping(report, builder, vmap, suggest=suggest)
        finally:
            book.close()
        if report.rows == 0 and report.ok:
            raise ImportFileError(f"文件“{book.filename}”的表头下面没有数据行，没有可导入的内容。")
        return report


def _effective_mapping(ledger: Ledger, header: HeaderMatch, given: ValueMap | None, source: str,
                       create: dict | None = None) -> ValueMap:
    """The remembered mappings for this ledger and source, with the given ones over them; a given entry
    for a column the file lacks, or to a value the ledger lacks, is refused with its line."""
    vmap = remembered(ledger.name, source)
    vmap.source = source
    if not given:
        return vmap
    by_header = {c.header: c for c in ledger.import_columns}
    resolvers = Resolvers()
    if create:  # a target the user also asked to create is a value the ledger will have
        from brigade.io.create import Creator

        resolvers.creator = Creator(resolvers, create, write=False)
    for entry in given.entries.values():
        where = f"值对照文件“{given.origin}”第{entry.line}行：" if entry.line else "值对照："
        col = by_header.get(entry.column)
        if col is None or col.key not in header.positions:
            raise MappingFileError(f"{where}文件中没有“{entry.column}”列（文件的列："
                                   f"{'、'.join(c.header for c in ledger.import_columns if c.key in header.positions)}）。")
        if col.kind not in (*MAPPABLE_KINDS, "unit_name"):
            raise MappingFileError(f"{where}“{entry.column}”列不是可选项或名称列，不能做值对照。")
        try:
            if col.kind == "unit_name":
                unit, _, message = resolvers[ledger.model._meta.get_field(col.field).related_model].resolve(
                    entry.target, "")
                if unit is None:
                    raise CellError(message)
            else:
                parse_cell(col, entry.target, resolvers)
        except CellError as exc:
            raise MappingFileError(f"{where}“{entry.target}”不是“{entry.column}”列可用的值：{exc}") from None
        vmap.add(entry)
    return vmap


def _report_mapping(report: ImportReport, builder, vmap: ValueMap, *, suggest: bool) -> None:
    """What the mapping changed, and for every value still unknown, what it may be."""
    for key, count in vmap.used.items():
        e = vmap.entries[key]
        report.mapped.append(Mapped(e.column, e.value, e.target, count, e.remembered))
    if builder.creator is not None:
        report.to_create = sorted(builder.creator.created)
    if report.ok:
        return
    from brigade.io.create import creatable_models
    from brigade.io.suggest import Suggester, synonyms_for

    creatable = set(creatable_models().values())
    by_header = {c.header: c for c in builder.ledger.import_columns}
    suggesters = {}
    for problem in report.problems:
        col = by_header.get(problem.column)
        if problem.value is None or col is None:
            continue
        item = Unmatched(col.header, problem.value, problem.count, problem.rows)
        if col.kind == "choice":
            item.choices = list(col.choices.labels)
        if col.kind == "ref" and col.model in creatable:
            item.creatable = str(col.model._meta.verbose_name)
        if suggest and len(report.unmatched) < MAX_SUGGESTED:
            if col.header not in suggesters:
                suggesters[col.header] = Suggester(_targets(builder, col), synonyms_for(builder.model, col.field))
            item.suggestions = suggesters[col.header].suggest(problem.value)
        report.unmatched.append(item)


def _targets(builder, col: Column) -> list[str]:
    """The values a column can take: a choice's labels, the names of the records a reference may name."""
    if col.kind == "choice":
        return list(col.choices.labels)
    if col.kind == "bool":
        return ["是", "否"]
    if col.kind == "unit_name":
        resolver = builder.resolvers[builder.model._meta.get_field(col.field).related_model]
        resolver.load()
        return [units[0].name for units in resolver.by_name.values()]
    resolver = builder.resolvers[col.model]
    return [resolver.display(objs[0]) for objs in resolver.index().values() if len(objs) == 1]


def _pick_sheet(book: SpreadsheetFile, ledger: Ledger):
    """The sheet and header row that match the ledger best; a clear message when none does."""
    lookup = ledger.header_lookup()
    best = None
    seen_rows = []
    for sheet in book.sheets():
        header = find_header(sheet, lookup)
        seen_rows += sheet.first_rows
        if header and (best is None or header.score > best[1].score):
            best = (sheet, header)
    if not any(any(not is_blank(c) for c in cells) for _, cells in seen_rows):
        raise ImportFileError(f"文件“{book.filename}”中没有任何内容（工作表是空的）。")
    missing = []
    if best:
        missing = [c.marked_header for c in ledger.columns if c.required and c.key not in best[1].positions]
    if best is None or missing:
        required = "、".join(c.marked_header for c in ledger.columns if c.required)
        found = f"缺少必填列：{'、'.join(missing)}" if best else f"没有一列能对上；必填列为：{required}"
        msg = f"文件“{book.filename}”的表头与“{ledger.title}”台账不符（{found}）。"
        other = _guess_ledger(seen_rows, exclude=ledger.name)
        if other:
            msg += f"这个文件看起来是“{other.title}”台账，请改用 --ledger {other.name} 导入。"
        else:
            msg += f"请下载“{ledger.title}”的导入模板（brigade template --ledger {ledger.name}）对照填写。"
        raise ImportFileError(msg)
    return best


def _guess_ledger(rows, *, exclude: str) -> Ledger | None:
    """The ledger whose required headers all appear in one of ``rows``, naming the most columns."""
    from brigade.io.ledgers import all_ledgers

    try:
        candidates = all_ledgers()
    except DatabaseError:
        candidates = static_ledgers()
    best, best_score = None, 0
    for ledger in candidates.values():
        if ledger.name == exclude:
            continue
        lookup = ledger.header_lookup()
        for _, cells in rows:
            positions, _ = match_header(cells, lookup)
            if all(c.key in positions for c in ledger.columns if c.required) and len(positions) > best_score:
                best, best_score = ledger, len(positions)
    return best


def example_row_matches(ledger: Ledger, cells: tuple, header: HeaderMatch) -> bool:
    """Is this the template's example row? Every example value matches, and enough of them to be sure."""
    checked, marked = 0, False
    for col in ledger.columns:
        pos = header.positions.get(col.key)
        if pos is None or col.example in ("", None):
            continue
        value = cells[pos] if pos < len(cells) else None
        if isinstance(value, str) and len(value) > 1000:  # longer than any example: not the example row
            return False
        if isinstance(value, dt.datetime | dt.date):
            value = value.strftime("%Y-%m-%d %H:%M" if " " in str(col.example) else "%Y-%m-%d")
        if clean_text(value) != clean_text(col.example):
            return False
        checked += 1
        marked = marked or "示例" in str(col.example)
    return checked >= 3 or (checked > 0 and marked)


# ---------------------------------------------------------------------------------------------


class RowBuilder:
    """Turn one spreadsheet row into an unsaved, validated model instance (or a list of errors)."""

    def __init__(self, ledger: Ledger, header: HeaderMatch, vmap: ValueMap | None = None,
                 create: dict | None = None, write: bool = False, brigade: int | None = None):
        self.ledger = ledger
        self.resolvers = Resolvers()
        self.resolvers.brigade_id = brigade
        self.creator = None
        if create:
            from brigade.io.create import Creator

            self.creator = self.resolvers.creator = Creator(self.resolvers, create, write=write)
        self.vmap = vmap
        self.translations = vmap.by_column() if vmap else {}
        self.model = ledger.model
        self.present = [(col, header.positions[col.key]) for col in ledger.import_columns
                        if col.key in header.positions]
        self.missing_required = [col for col in ledger.columns if col.required and col.key not in header.positions]
        self.fk_names = [f.name for f in self.model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
        self.field_null = {f.name: f.null for f in self.model._meta.concrete_fields}
        self.has_brigade = "brigade" in self.field_null
        self.parsed: dict[str, dict] = {}

    def build(self, number: int, cells: tuple):
        errors: list[RowError] = []
        kwargs = dict(self.ledger.fixed)
        metrics = {}
        unit_text = {"unit_name": "", "unit_code": ""}
        inspection_day = None
        width = len(cells)
        for col, pos in self.present:
            raw = cells[pos] if pos < width else None
            if is_blank(raw):
                if col.required and col.kind != "unit_name":
                    errors.append(RowError(number, col.header, "必填项未填写。"))
                elif col.kind == "text" and not self.field_null.get(col.key, True):
                    kwargs[col.key] = ""
                continue
            original = raw  # errors quote the cell as written: that is what a mapping names
            if col.header in self.translations:
                raw = self._translate(col, raw, kwargs)
            else:
                raw = self._with_parent(col, raw, kwargs)
            try:
                value = self._parse(col, raw)
            except CellError as exc:
                errors.append(RowError(number, col.header, str(exc), _shown(original), col.kind in MAPPABLE_KINDS))
                continue
            if col.kind in ("unit_name", "unit_code"):
                unit_text[col.kind] = value
            elif col.kind == "inspection_date":
                inspection_day = value
            elif col.kind == "metric":
                metrics[col.key.split(":", 1)[1]] = value
            elif col.kind == "point":  # separate 经度/纬度 columns, when filled, win
                kwargs.setdefault("lon", value[0])
                kwargs.setdefault("lat", value[1])
            else:
                kwargs[col.key] = value
        self._resolve_compound(number, kwargs, unit_text, inspection_day, errors)
        if errors:
            return None, errors
        if self.ledger.figures_field is not None:
            kwargs[self.ledger.figures_field] = metrics
        obj = self.model(**kwargs)
        if self.has_brigade and obj.brigade_id is None:
            if self.resolvers.brigade_id is None:  # the administrator's import: the row's street or station
                fill_brigade(obj)
            if obj.brigade_id is None:  # the importing brigade, or the only one (else: a message)
                try:
                    obj.brigade = self.resolvers[self.model._meta.get_field("brigade").related_model].default()
                except CellError as exc:
                    return None, [RowError(number, "大队", str(exc))]
        return obj, self.validate(number, obj)

    def _parse(self, col: Column, raw):
        """parse_cell, remembered per column: a register repeats its types, streets and dates
        thousands of times. References are not remembered while the import may create them."""
        if col.kind == "ref" and self.creator is not None:
            return parse_cell(col, raw, self.resolvers)
        memo = self.parsed.setdefault(col.key, {})
        key = (type(raw), raw)
        hit = memo.get(key)
        if hit is None:
            try:
                hit = (True, parse_cell(col, raw, self.resolvers))
            except CellError as exc:
                hit = (False, str(exc))
            if len(memo) < PARSE_MEMO_SIZE:
                memo[key] = hit
        if hit[0]:
            return hit[1]
        raise CellError(hit[1])

    def _translate(self, col: Column, raw, kwargs):
        """The accepted mapping's value for this cell, if it has one (counted for the report)."""
        text = clean_text(raw)
        target = self.translations[col.header].get(text)
        if target is None:
            return self._with_parent(col, raw, kwargs)
        key = (col.header, text)
        self.vmap.used[key] = self.vmap.used.get(key, 0) + 1
        return target

    def _with_parent(self, col: Column, raw, kwargs):
        """A row named alone whose type is written under its parent (a community under its street), in a row
        naming that parent: looked up (or created) under it. Only when such rows may be created: otherwise a
        community of another street is named as such."""
        if self.creator is None or col.kind != "ref" or col.model not in self.creator.allowed:
            return raw
        parent = sheet_ref_for(col.model).parent
        if parent is None:
            return raw
        text = clean_text(raw)
        above = kwargs.get(parent)
        if above is None or "/" in text or "·" in text:
            return raw
        return f"{above.name}/{text}"

    def _resolve_compound(self, number, kwargs, unit_text, inspection_day, errors):
        has_unit_cols = any(c.kind == "unit_name" for c, _ in self.present)
        if not has_unit_cols:
            return
        unit_col = next(c for c in self.ledger.columns if c.kind == "unit_name")
        if not unit_text["unit_name"] and not unit_text["unit_code"]:
            if unit_col.required:
                errors.append(RowError(number, unit_col.header, "请填写单位名称或统一社会信用代码。"))
            return
        unit_model = self.model._meta.get_field(unit_col.field).related_model
        unit, where, message = self.resolvers[unit_model].resolve(unit_text["unit_name"], unit_text["unit_code"])
        if unit is None:
            value = unit_text.get(where, "") if where in ("unit_name", "unit_code") else ""
            errors.append(RowError(number, self.ledger.column(where).header if where == "unit_name"
                                   else "统一社会信用代码", message, value, bool(value) and where == "unit_name"))
            return
        kwargs["unit"] = unit
        if inspection_day is not None:
            try:
                inspection = self.model._meta.get_field("inspection").related_model
                kwargs["inspection"] = self.resolvers[inspection].resolve(unit, inspection_day)
            except CellError as exc:
                errors.append(RowError(number, "检查日期", str(exc)))

    def validate(self, number: int, obj) -> list[RowError]:
        """The model's own rules (field validators, then clean()); foreign keys were resolved above."""
        try:
            obj.clean_fields(exclude=self.fk_names)
            obj.clean()
        except ValidationError as exc:
            return self._errors(number, exc)
        return []

    def _errors(self, number, exc: ValidationError) -> list[RowError]:
        if not hasattr(exc, "error_dict"):
            return [RowError(number, "", m) for m in exc.messages]
        out = []
        for name, errs in exc.message_dict.items():
            column = "" if name == "__all__" else self.ledger.header_of_field(name)
            out += [RowError(number, column, m) for m in errs]
        return out


def _shown(raw) -> str:
    """A cell's value as an error quotes it (dates as the user sees them)."""
    if isinstance(raw, dt.datetime):
        return raw.strftime("%Y-%m-%d %H:%M:%S")
    text = clean_text(raw)
    return text if len(text) <= 60 else text[:60] + "…"


def _lone_field(fields: tuple[str, ...]) -> str | None:
    """The one field a key names besides the brigade (a code, a number), whose blank means "no key"."""
    own = [f for f in fields if f != "brigade_id"]
    return own[0] if len(own) == 1 else None


def natural_key(ledger: Ledger, obj) -> tuple | None:
    """The row's identity: codes and numbers are unique within a brigade, so keys carry the brigade."""
    for i, fields in enumerate(ledger.natural_keys):
        values = tuple(hashable(getattr(obj, f)) for f in fields)
        lone = _lone_field(fields)
        if lone is not None and getattr(obj, lone) in (None, ""):
            continue
        return (i, *values)
    return None


def existing_keys(ledger: Ledger, brigade: int | None = None) -> set:
    from brigade.io.ledgers import _in_brigade

    keys = set()
    qs = _in_brigade(ledger.model._default_manager.filter(**ledger.fixed), brigade)
    for i, fields in enumerate(ledger.natural_keys):
        sub = qs
        if (lone := _lone_field(fields)) is not None:
            sub = sub.exclude(**{f"{lone}__isnull": True}).exclude(**{lone: ""}) \
                if ledger.model._meta.get_field(lone.removesuffix("_id")).get_internal_type() == "CharField" \
                else sub.exclude(**{f"{lone}__isnull": True})
        for values in sub.values_list(*fields).iterator(chunk_size=5000):
            keys.add((i, *(hashable(v) for v in values)))
    return keys


def _run(ledger: Ledger, rows, header: HeaderMatch, report: ImportReport, *, write: bool,
         vmap: ValueMap | None = None, create: dict | None = None, brigade: int | None = None) -> RowBuilder:
    with brigades_settled():  # one look at the brigades, not one per row's check
        return _rows(ledger, rows, header, report, write=write, vmap=vmap, create=create, brigade=brigade)


def _rows(ledger: Ledger, rows, header: HeaderMatch, report: ImportReport, *, write: bool,
          vmap: ValueMap | None, create: dict | None, brigade: int | None) -> RowBuilder:
    builder = RowBuilder(ledger, header, vmap, create, write, brigade)
    known = existing_keys(ledger, brigade)
    seen: dict[tuple, int] = {}
    pending: list = []
    has_history = hasattr(ledger.model, "history")

    def flush():
        if not pending:
            return
        try:
            with transaction.atomic():  # a savepoint: a refused batch leaves the transaction usable
                _bulk_create(ledger.model, pending, has_history)
        except IntegrityError as exc:
            report.errors.append(RowError(0, "", f"数据库拒绝写入（违反数据约束）：{exc}"))
        pending.clear()

    for number, cells in rows:
        if all(is_blank(c) for c in cells):
            continue  # blank rows, including the trailing ones Excel leaves behind
        if not report.rows and not seen and example_row_matches(ledger, cells, header):
            report.warnings.append(f"第{number}行{EXAMPLE_NOTE}")
            continue
        report.rows += 1
        obj, errors = builder.build(number, cells)
        if errors:
            report.errors += errors
            continue
        key = natural_key(ledger, obj)
        if key is not None:
            if key in seen:
                report.errors.append(RowError(number, "", f"与第{seen[key]}行重复（{_key_text(ledger, key)}相同）。"))
                continue
            seen[key] = number
            if key in known:
                report.existing += 1
                continue
        report.created += 1
        if write and not report.errors:
            pending.append(obj)
            if len(pending) >= BATCH_SIZE:
                flush()
    if write and not report.errors:
        flush()
    return builder


def _bulk_create(model, objs, has_history: bool) -> None:
    if has_history:
        from simple_history.utils import bulk_create_with_history

        bulk_create_with_history(objs, model, batch_size=500, default_change_reason="批量导入")
    else:
        model._default_manager.bulk_create(objs, batch_size=500)
    records_bulk_created.send(sender=model, objs=objs)


def _key_text(ledger: Ledger, key: tuple) -> str:
    fields = ledger.natural_keys[key[0]]
    names = []
    for f in fields:
        if f == "brigade_id":  # rows of one import are of one brigade: naming it says nothing
            continue
        if f == "values":
            names.append("统计值")
            continue
        names.append(ledger.header_of_field(f.removesuffix("_id")))
    return "、".join(n for n in names if n)


def describe_columns(ledger: Ledger) -> list[dict]:
    """Column descriptions for a web page or the template's instruction sheet."""
    out = []
    for col in ledger.columns:
        out.append({"header": col.header, "required": col.required, "synonyms": list(col.synonyms),
                    "choices": col.choices.labels if col.choices else [], "kind": col.kind,
                    "example": col.example})
    return out


__all__ = ["Column", "ImportFileError", "ImportReport", "RowError", "describe_columns", "import_file"]
