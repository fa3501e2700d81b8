"""Markdown and HTML previews of a Document (the same text as the Word file, for screens and diffs).

Both escape the document's text: a name or sentence containing ``<script>`` or ``**`` shows as typed.
The HTML is self-contained (inline CSS, no fonts or scripts from anywhere) so it opens offline.

Run-in headings: a paragraph that opens with a second-level marker and a short sentence
(``（一）强化责任落实。正文……``, as summaries are often written) shows that lead sentence in the
heading's face (楷体); one that opens with ``1.`` / ``1．`` and a short sentence shows it in bold.
:func:`split_lead` is the one rule, shared with the Word writer.
"""

from __future__ import annotations

import html
import re

from brigade.reports.document import Document

# The lead sentence of a paragraph: a marker, then at most 60 characters up to the first 。！？.
_LEAD_KAI = re.compile(r"^(（[一二三四五六七八九十]{1,3}）[^。！？\n]{1,60}?[。！？])(?=.)", re.S)
# Digits or their redaction stars (the redacted twin keeps the same look).
_LEAD_BOLD = re.compile(r"^((?:\d{1,2}|\*{1,2})[.．](?![\d*])[^。！？\n]{1,60}?[。！？])(?=.)", re.S)

LEAD_KAI = "kai"
LEAD_BOLD = "bold"


def split_lead(text: str) -> tuple[str | None, str, str]:
    """Split a paragraph into (lead kind, lead sentence, rest); kind None means no lead sentence.

    >>> split_lead("（一）强化责任落实。召开会议3次。")
    ('kai', '（一）强化责任落实。', '召开会议3次。')
    >>> split_lead("1.压实责任。每月考评。")
    ('bold', '1.压实责任。', '每月考评。')
    """
    for kind, pattern in ((LEAD_KAI, _LEAD_KAI), (LEAD_BOLD, _LEAD_BOLD)):
        match = pattern.match(text)
        if match:
            return kind, match[1], text[match.end(1):]
    return None, "", text


# --- Markdown ---------------------------------------------------------------------------------

# Characters that Markdown would read as markup anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&!])")
# At the start of a line: a heading, quote, list or rule marker.
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def _md_escape(text: str) -> str:
    text = _MD_INLINE.sub(r"\\\1", text)
    match = _MD_LINE_START.match(text)
    if match:
        marker = match[2]
        if marker[0].isdigit():
            # "1." starts an ordered list: escape the dot after the number instead.
            end = match.end(2)
            text = text[:end] + "\\" + text[end:]
        else:
            text = text[: match.start(2)] + "\\" + text[match.start(2):]
    return " ".join(text.split("\n"))


def to_markdown(document: Document, *, redact: bool = False) -> str:
    """The document as Markdown: ``#`` title, ``##``/``###`` headings, one paragraph per block.

    With ``redact=True`` the redacted twin is previewed. Signature lines end the text, each on its
    own line.
    """
    if redact:
        from brigade.reports.redact import redact_document

        document = redact_document(document)
    parts = [f"# {_md_escape(document.title)}"] if document.title else []
    for block in document.blocks:
        text = _md_escape(block.text)
        if block.kind == "heading1":
            parts.append(f"## {text}")
        elif block.kind == "heading2":
            parts.append(f"### {text}")
        elif block.kind == "table":
            lines = ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in block.rows]
            if lines:
                lines.insert(1, "|" + "---|" * len(block.rows[0]))
            parts.append("\n".join(lines))
        else:
            # Plain: CommonMark emphasis does not close after 。 followed by a Chinese character.
            parts.append(text)
    if document.signature:
        # A trailing backslash is a hard line break: the lines stay together, right under the text.
        parts.append("\\\n".join(_md_escape(line) for line in document.signature))
    return "\n\n".join(parts) + "\n"


# --- HTML -------------------------------------------------------------------------------------

# Official faces first (present on government PCs), then what Windows, macOS and Linux have.
_FONTS = {
    "title": '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif',
    "body": '"仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", serif',
    "h1": '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif',
    "h2": '"楷体_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "Noto Serif CJK SC", serif',
}

_CSS = f"""
.gw-doc {{ max-width: 156mm; margin: 0 auto; padding: 12mm 0; color: #000;
  font: 16pt/28.95pt {_FONTS["body"]}; text-align: justify; }}
.gw-doc h1 {{ font: 22pt/1.5 {_FONTS["title"]}; text-align: center; margin: 0 0 28.95pt; font-weight: normal; }}
.gw-doc h2 {{ font: 16pt/28.95pt {_FONTS["h1"]}; margin: 0; text-indent: 2em; font-weight: normal; }}
.gw-doc h3 {{ font: 16pt/28.95pt {_FONTS["h2"]}; margin: 0; text-indent: 2em; font-weight: normal; }}
.gw-doc p {{ margin: 0; text-indent: 2em; }}
.gw-doc .lead-kai {{ font-family: {_FONTS["h2"]}; }}
.gw-doc .lead-bold {{ font-weight: bold; }}
.gw-doc .gw-table {{ border-collapse: collapse; margin: 6pt auto; font-size: 12pt; line-height: 1.5; }}
.gw-doc .gw-table th, .gw-doc .gw-table td {{ border: 1px solid #000; padding: 2pt 4pt; text-align: center; }}
.gw-doc .signature {{ text-align: right; text-indent: 0; padding-right: 2em; }}
.gw-doc .signature.first {{ margin-top: 28.95pt; }}
""".strip()


def _paragraph_html(text: str) -> str:
    kind, lead, rest = split_lead(text)
    if kind is None:
        return f"<p>{html.escape(text)}</p>"
    return f'<p><span class="lead-{kind}">{html.escape(lead)}</span>{html.escape(rest)}</p>'


def _table_html(rows: list[list[str]]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows[1:])
    return f'<table class="gw-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def to_html(document: Document, *, redact: bool = False, standalone: bool = True) -> str:
    """The document as HTML, every text escaped.

    Parameters
    ----------
    redact : preview the redacted twin.
    standalone : a whole page (``<!DOCTYPE html>`` … with its CSS); False gives the ``<article>``
        alone with a ``<style>`` element, to embed in a page.
    """
    if redact:
        from brigade.reports.redact import redact_document

        document = redact_document(document)
    body = []
    if document.title:
        body.append(f"<h1>{html.escape(document.title)}</h1>")
    for block in document.blocks:
        if block.kind == "heading1":
            body.append(f"<h2>{html.escape(block.text)}</h2>")
        elif block.kind == "heading2":
            body.append(f"<h3>{html.escape(block.text)}</h3>")
        elif block.kind == "table":
            body.append(_table_html(block.rows))
        else:
            body.append(_paragraph_html(block.text))
    for i, line in enumerate(document.signature):
        css_class = "signature first" if i == 0 else "signature"
        body.append(f'<p class="{css_class}">{html.escape(line)}</p>')
    article = '<article class="gw-doc">\n' + "\n".join(body) + "\n</article>"
    if not standalone:
        return f"<style>\n{_CSS}\n</style>\n{article}\n"
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(document.title)}</title>\n<style>\nbody {{ background: #fff; }}\n{_CSS}\n</style>\n"
        f"</head>\n<body>\n{article}\n</body>\n</html>\n"
    )
