"""Report templates: Jinja2 files a brigade can override without code, rendered into a Document.

Lookup: a template is searched first in the override folder the caller passes (the project passes
``settings.VAR_DIR / "templates"``), then in the shipped folder ``brigade/reports/templates/``. This
module does not import Django: callers pass the folders.

Markup of the rendered text (:func:`parse_blocks`):

- ``# 标题`` is the document title (one only);
- ``## 一、标题`` is a first-level heading, ``### （一）标题`` a second-level heading; the markers
  (``一、`` ``（一）``) are written by the engine in order, so a section left out leaves no gap
  (a marker the template wrote itself is replaced);
- ``> 落款`` is a signature line (issuing organisation, date), right-aligned under the text;
- other lines are body text: consecutive lines form one paragraph, a blank line ends it (so a
  paragraph can be built from one ``{% if %}`` line per sentence);
- a second-level heading with no paragraph under it, and a first-level heading with nothing under it,
  are left out (the template wrote them, but the data gave them nothing to say);
- a second-level heading written as a sentence (ending in ``。``, ``！`` or ``？``) runs into the paragraph
  under it, as summaries are often written: ``（一）强化责任落实。召开会议……`` (the Word writer sets the
  heading sentence in 楷体 and the rest in 仿宋). A heading without final punctuation stands on its own line.

Errors (missing file, syntax, undefined variable, a failing filter) raise :class:`TemplateError` with a
Chinese message naming the template file and line: ``模板 summary.md.j2 第12行：变量“metrics”未定义。``

Filters for official number formats (see :mod:`brigade.reports.numbers`): ``wan``, ``pct``, ``share``,
``yoy``, ``money``, ``duration``, ``cn``. Examples: ``{{ 12345 | wan('份') }}`` → ``1.2万余份``;
``{{ cur | yoy(prev) }}`` → ``同比上升12.5%``; ``{{ cur | yoy(prev, '起') }}`` → ``同比下降3起``.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from brigade.reports import numbers
from brigade.reports.document import Block, Document
from brigade.reports.errors import TemplateError

SHIPPED_DIR = Path(__file__).with_name("templates")
STRING_TEMPLATE = "<字符串模板>"

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading markers and ordinals)."""
    if not isinstance(n, int) or not 0 < n < 100:
        raise ValueError(f"只能写出1到99的中文数字：{n!r}。")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


FILTERS: dict[str, Callable] = {
    "wan": numbers.fmt_count,
    "pct": numbers.fmt_percent,
    "share": numbers.fmt_share,
    "yoy": numbers.fmt_yoy,
    "money": numbers.fmt_money,
    "duration": numbers.fmt_duration,
    "cn": cn_number,
}


def template_dirs(override_dir: str | Path | None = None) -> list[Path]:
    """The folders searched, in order: the override folder (if given), then the shipped one."""
    dirs = [Path(override_dir)] if override_dir is not None else []
    return [*dirs, SHIPPED_DIR]


def make_environment(*, override_dir: str | Path | None = None) -> SandboxedEnvironment:
    """The Jinja2 environment: override folder first, StrictUndefined, sandboxed, number filters.

    Sandboxed because a brigade's own template is user input: it may read the data it is given but not
    reach into Python internals. Whitespace handling is Jinja's default (``{%- -%}`` trims).
    """
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(override_dir)], encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is our plain markup, not HTML; the writers escape
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def find_template(name: str, *, override_dir: str | Path | None = None) -> Path:
    """The file that ``name`` resolves to (the override when there is one)."""
    for folder in template_dirs(override_dir):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise TemplateError(_not_found_message(name, override_dir))


def _not_found_message(name: str, override_dir) -> str:
    searched = "、".join(str(d) for d in template_dirs(override_dir))
    return f"找不到模板“{name}”（已查找：{searched}）。"


# --- Error messages ---------------------------------------------------------------------------

_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"'([^']+)' is undefined"), "变量“{0}”未定义"),
    (re.compile(r"'[^']+' has no attribute '([^']+)'"), "没有“{0}”这一项"),
    (re.compile(r"'[^']+' object has no attribute '([^']+)'"), "没有“{0}”这一项"),
    (re.compile(r"end of template.*block that needs to be closed is '([^']+)'", re.S | re.I),
     "模板意外结束，“{{% {0} %}}”缺少对应的“{{% end{0} %}}”"),
    (re.compile(r"end of template", re.I), "模板意外结束，可能缺少结束标签"),
    (re.compile(r"unknown tag '(end\w+)'.*block that needs to be closed is '([^']+)'", re.S),
     "“{{% {0} %}}”与前面的“{{% {1} %}}”不配对，应先写“{{% end{1} %}}”"),
    (re.compile(r"unknown tag '(end\w+)'"), "多余的“{{% {0} %}}”，前面没有对应的开始标签"),
    (re.compile(r"Encountered unknown tag '([^']+)'"), "未知的标签“{0}”"),
    (re.compile(r"unexpected '([^']+)'"), "多余的“{0}”"),
    (re.compile(r"expected token '([^']+)', got '([^']+)'"), "写法有误：此处应为“{0}”，实际是“{1}”"),
    (re.compile(r"No filter named '([^']+)'"), "没有名为“{0}”的过滤器"),
    (re.compile(r"No test named '([^']+)'"), "没有名为“{0}”的测试"),
]


def _translate(message: str) -> str:
    """A Chinese rendering of Jinja's English message; unknown messages are kept in brackets."""
    for pattern, chinese in _MESSAGES:
        match = pattern.search(message)
        if match:
            return chinese.format(*match.groups())
    return f"模板出错（{message}）"


def _display_name(filename: str | None, fallback: str, env: jinja2.Environment | None = None) -> str:
    """The name to show for a template file: its path under a search folder, else its base name."""
    if not filename or filename.startswith("<"):
        return fallback
    path = Path(filename)
    folders = getattr(getattr(env, "loader", None), "searchpath", None) or [str(SHIPPED_DIR)]
    for folder in folders:
        try:
            return path.relative_to(folder).as_posix()
        except ValueError:
            pass
    return path.name


def _template_frame(exc: BaseException, files: set[str]) -> tuple[str | None, int | None]:
    """The innermost traceback frame that is template code: (file, line) or (None, None).

    Jinja rewrites tracebacks so that template frames carry the template's file name and line.
    """
    found: tuple[str | None, int | None] = (None, None)
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename in files or filename == "<template>" or filename.endswith(".j2"):
            found = (filename, lineno)
    return found


def _render_error(exc: Exception, name: str, env: jinja2.Environment) -> TemplateError:
    files = {t.filename for t in _loaded_templates(env) if t.filename}
    filename, lineno = _template_frame(exc, files)
    where = f"模板 {_display_name(filename, name, env)}" + (f" 第{lineno}行" if lineno else "")
    if isinstance(exc, jinja2.UndefinedError):
        detail = _translate(exc.message or str(exc))
    elif isinstance(exc, SecurityError):
        detail = f"不允许的操作（{exc}）"
    elif isinstance(exc, TemplateError):
        return exc
    elif not str(exc):
        detail = f"渲染出错（{type(exc).__name__}）"
    else:
        detail = str(exc).rstrip("。") if _is_chinese(str(exc)) else f"渲染出错（{type(exc).__name__}: {exc}）"
    return TemplateError(f"{where}：{detail}。")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _loaded_templates(env: jinja2.Environment) -> list[jinja2.Template]:
    cache = env.cache or {}
    return [t for t in cache.values() if isinstance(t, jinja2.Template)]


def _syntax_error(exc: jinja2.TemplateSyntaxError, name: str) -> TemplateError:
    shown = exc.name or _display_name(exc.filename, name)
    line = f" 第{exc.lineno}行" if exc.lineno else ""
    return TemplateError(f"模板 {shown}{line}：语法错误：{_translate(exc.message or str(exc))}。")


# --- Rendering --------------------------------------------------------------------------------


def _render(env: jinja2.Environment, name: str, load: Callable[[], jinja2.Template],
            context: Mapping[str, object], override_dir) -> str:
    try:
        template = load()
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc, name) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_not_found_message(exc.name or name, override_dir)) from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(f"模板 {name} 不是 UTF-8 编码，请用 UTF-8 另存后再试。") from exc
    try:
        return template.render(dict(context))
    except jinja2.TemplateSyntaxError as exc:  # an {% include %} of a broken file
        raise _syntax_error(exc, name) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(_not_found_message(exc.name or name, override_dir)) from exc
    except Exception as exc:  # noqa: BLE001 - anything a template does wrong becomes a located message
        raise _render_error(exc, name, env) from exc


def render_template(name: str, context: Mapping[str, object], *,
                    override_dir: str | Path | None = None) -> str:
    """Render the template ``name`` (override folder first, then the shipped one) with ``context``.

    Raises
    ------
    TemplateError : missing file, syntax error, undefined variable, failing filter; the message names the
        file and line.
    """
    env = make_environment(override_dir=override_dir)
    return _render(env, name, lambda: env.get_template(name), context, override_dir)


def render_string(source: str, context: Mapping[str, object], *, name: str = STRING_TEMPLATE) -> str:
    """Render template text directly (a template being edited, a test); errors name ``name``."""
    env = make_environment()
    return _render(env, name, lambda: env.from_string(source), context, None)


def check_template(source: str, *, name: str = STRING_TEMPLATE) -> None:
    """Raise :class:`TemplateError` if ``source`` has a syntax error (before saving an edited template)."""
    try:
        make_environment().parse(source, name=name)
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_error(exc, name) from exc


# --- From rendered text to a Document --------------------------------------------------------

_HEADING = re.compile(r"^(#+)(?:\s+(.*))?$")
_H1_MARKER = re.compile(r"^[一二三四五六七八九十]+、\s*")
_H2_MARKER = re.compile(r"^（[一二三四五六七八九十]+）\s*")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")

Lift = Callable[[str], tuple[str, dict]]


def _no_lift(text: str) -> tuple[str, dict]:
    return text, {}


def _join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: no space between Chinese text, one between Latin words."""
    text = ""
    for line in lines:
        if text and _ASCII_WORD.match(text[-1]) and _ASCII_WORD.match(line[0]):
            text += " "
        text += line
    return text


def parse_blocks(text: str, *, sensitive_names: Iterable[str] = (), name: str = "模板",
                 number_headings: bool = True, drop_empty: bool = True, run_in: bool = True,
                 lift: Lift | None = None) -> Document:
    """Turn rendered template text into a Document (see the module docstring for the markup).

    Parameters
    ----------
    text : the rendered template.
    sensitive_names : names the redacted twin masks, stored on the Document.
    name : the template name, for error messages.
    number_headings : write ``一、`` / ``（一）`` markers in order (replacing the template's own).
    drop_empty : leave out headings with nothing under them.
    run_in : merge a second-level heading that ends with 。！？ into the paragraph under it.
    lift : a function ``text → (clean text, sources)`` applied to each block, for templates whose
        helpers embed traceability markers; sources are merged per block.
    """
    lift = lift or _no_lift
    title: str | None = None
    blocks: list[Block] = []
    signature: list[str] = []
    paragraph: list[str] = []
    table: list[list[str]] = []

    def flush() -> None:
        if table:
            rows, sources = [], {}
            for cells in table:
                lifted = [lift(cell) for cell in cells]
                rows.append([clean.strip() for clean, _ in lifted])
                for _, found in lifted:
                    sources.update(found)
            blocks.append(Block("table", "", sources, rows))
            table.clear()
        if paragraph:
            clean, sources = lift(_join_lines(paragraph))
            if clean.strip():
                blocks.append(Block("paragraph", clean.strip(), dict(sources)))
            paragraph.clear()

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level, content = len(heading[1]), lift((heading[2] or "").strip())
            if level > 3:
                raise TemplateError(f"模板 {name} 输出的第{lineno}行：最多支持三级（“###”），此行是{level}级。")
            if not content[0].strip():
                continue  # a heading whose text came out empty: nothing to show
            if level == 1:
                if title is not None:
                    raise TemplateError(f"模板 {name} 输出的第{lineno}行：文档标题（“# ”开头）只能有一个。")
                title = content[0].strip()
            else:
                blocks.append(Block("heading1" if level == 2 else "heading2", content[0].strip(), dict(content[1])))
        elif line.startswith("|"):
            if paragraph:
                flush()
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if not all(set(cell) <= set("-: ") for cell in cells):  # a Markdown rule line is dropped
                table.append(cells)
        elif line.startswith(">"):
            flush()
            clean = lift(line[1:].strip())[0].strip()
            if clean:
                signature.append(clean)
        else:
            if table:
                flush()
            paragraph.append(line)
    flush()
    if drop_empty:
        blocks = _drop_empty_headings(blocks)
    if number_headings:
        _number_headings(blocks)
    if run_in:
        blocks = _run_in_headings(blocks)
    return Document(title=title or "", blocks=blocks, signature=signature,
                    sensitive_names=set(sensitive_names))


def _drop_empty_headings(blocks: list[Block]) -> list[Block]:
    """Leave out a heading2 with no paragraph before the next heading, then a heading1 with nothing."""
    rank = {"heading1": 1, "heading2": 2, "paragraph": 3, "table": 3}
    for level in ("heading2", "heading1"):
        kept = []
        for i, block in enumerate(blocks):
            if block.kind == level:
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if nxt is None or rank[nxt.kind] <= rank[level]:
                    continue
            kept.append(block)
        blocks = kept
    return blocks


def _number_headings(blocks: list[Block]) -> None:
    """Write 一、二、… on heading1 and （一）（二）… on heading2 (restarting under each heading1)."""
    h1 = h2 = 0
    for block in blocks:
        if block.kind == "heading1":
            h1, h2 = h1 + 1, 0
            block.text = f"{cn_number(h1)}、{_H1_MARKER.sub('', block.text)}"
        elif block.kind == "heading2":
            h2 += 1
            block.text = f"（{cn_number(h2)}）{_H2_MARKER.sub('', block.text)}"


def _run_in_headings(blocks: list[Block]) -> list[Block]:
    """A heading2 that is a sentence and the paragraph under it become one paragraph."""
    merged: list[Block] = []
    for block in blocks:
        prev = merged[-1] if merged else None
        if (block.kind == "paragraph" and prev is not None and prev.kind == "heading2"
                and prev.text.endswith(("。", "！", "？"))):
            merged[-1] = Block("paragraph", prev.text + block.text, {**prev.sources, **block.sources})
        else:
            merged.append(block)
    return merged


def render_document(name: str, context: Mapping[str, object], *, override_dir: str | Path | None = None,
                    sensitive_names: Iterable[str] = (), lift: Lift | None = None) -> Document:
    """:func:`render_template` then :func:`parse_blocks`: the template's Document."""
    text = render_template(name, context, override_dir=override_dir)
    return parse_blocks(text, sensitive_names=sensitive_names, name=name, lift=lift)
