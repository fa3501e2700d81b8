"""Template engine: lookup order, number filters, Chinese errors with file and line, markup → Document."""

import subprocess
import sys
from pathlib import Path

import pytest

from brigade.reports import templating
from brigade.reports.errors import ReportError, TemplateError
from brigade.reports.templating import (
    SHIPPED_DIR,
    check_template,
    cn_number,
    find_template,
    parse_blocks,
    render_document,
    render_string,
    render_template,
)

HERE = Path(__file__).parent / "templates"

CONTEXT = {
    "brigade": "青石区消防救援大队",
    "year": 2025,
    "inspected": 2731,
    "inspected_prev": 2428,
    "materials": 12345,
    "alarms": 842,
    "alarms_prev": 870,
    "arrival_s": 272,
    "fines": 12345,
    "rectified": 1,
    "found": 8,
}


def test_example_template_renders_into_a_document():
    doc = render_document("example.md.j2", CONTEXT, override_dir=HERE, sensitive_names={"兰山"})
    assert doc.title == "青石区消防救援大队2025年工作总结"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "2025年，大队各项工作稳步推进。"),
        ("heading1", "一、工作开展情况"),
        ("heading2", "（一）监督检查"),
        ("paragraph", "全年检查单位2731家，同比上升12.5%，发放宣传资料1.2万余份。"),
        ("heading2", "（二）接处警"),
        ("paragraph", "全年接处警842起，同比下降28起，平均到场4分32秒。"),
        # "没有数据的一节" has no paragraph: left out, and the numbering has no gap.
        ("heading1", "二、存在的问题和不足"),
        ("paragraph", "罚款1.23万元，整改率12.5%。"),
    ]
    assert doc.signature == ["青石区消防救援大队", "2026年1月8日"]
    assert doc.sensitive_names == {"兰山"}


def test_section_left_out_by_the_template_renumbers():
    doc = render_document("example.md.j2", {**CONTEXT, "alarms": 0}, override_dir=HERE)
    assert [b.text for b in doc.blocks if b.kind.startswith("heading")] == [
        "一、工作开展情况", "（一）监督检查", "二、存在的问题和不足"]


def test_override_folder_wins(tmp_path):
    (tmp_path / "example.md.j2").write_text("# 本大队自己的模板{{ year }}\n", encoding="utf-8")
    assert render_template("example.md.j2", CONTEXT, override_dir=tmp_path) == "# 本大队自己的模板2025\n"
    assert find_template("example.md.j2", override_dir=tmp_path) == tmp_path / "example.md.j2"


def test_shipped_folder_is_searched_after_the_override(tmp_path, monkeypatch):
    assert SHIPPED_DIR.is_dir()
    shipped, override = tmp_path / "shipped", tmp_path / "override"
    shipped.mkdir()
    override.mkdir()
    (shipped / "a.md.j2").write_text("# 随系统提供\n", encoding="utf-8")
    monkeypatch.setattr(templating, "SHIPPED_DIR", shipped)
    assert render_template("a.md.j2", {}, override_dir=override) == "# 随系统提供\n"
    assert render_template("a.md.j2", {}) == "# 随系统提供\n"
    assert find_template("a.md.j2", override_dir=override) == shipped / "a.md.j2"


def test_missing_template():
    with pytest.raises(TemplateError, match="找不到模板“nope.md.j2”"):
        render_template("nope.md.j2", {}, override_dir=HERE)
    with pytest.raises(TemplateError, match="找不到模板"):
        find_template("nope.md.j2")
    with pytest.raises(TemplateError, match="找不到模板"):
        render_template("../test_templating.py", {}, override_dir=HERE)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "detail"),
    [
        ("# 标题\n\n{% if x %}\n正文\n", 3, "模板意外结束，“{% if %}”缺少对应的“{% endif %}”"),
        ("# 标题\n{% for a in b %}\n", 2, "“{% for %}”缺少对应的“{% endfor %}”"),
        ("# 标题\n正文\n{{ x }\n", 3, "多余的“}”"),
        ("# 标题\n{% iff x %}\n", 2, "未知的标签“iff”"),
        ("# 标题\n{% endif %}\n", 2, "多余的“{% endif %}”，前面没有对应的开始标签"),
        ("# 标题\n{% for a in b %}\n{% if x %}\n{% endfor %}\n", 4,
         "“{% endfor %}”与前面的“{% if %}”不配对，应先写“{% endif %}”"),
        ("# 标题\n\n\n{{ x | nosuch }}\n", 4, "没有名为“nosuch”的过滤器"),
    ],
)
def test_syntax_errors_name_file_and_line(tmp_path, text, line, detail):
    _write(tmp_path, "broken.md.j2", text)
    with pytest.raises(TemplateError) as info:
        render_template("broken.md.j2", {"x": 1}, override_dir=tmp_path)
    message = str(info.value)
    assert message.startswith(f"模板 broken.md.j2 第{line}行：语法错误："), message
    assert detail in message
    assert isinstance(info.value, ReportError)


def test_undefined_variable_names_file_and_line(tmp_path):
    _write(tmp_path, "t.md.j2", "# 标题\n\n正文{{ year }}\n{{ metrics }}\n")
    with pytest.raises(TemplateError, match=r"^模板 t\.md\.j2 第4行：变量“metrics”未定义。$"):
        render_template("t.md.j2", {"year": 2025}, override_dir=tmp_path)


def test_missing_attribute_and_use_in_a_condition(tmp_path):
    _write(tmp_path, "t.md.j2", "# 标题\n{% if notes.opening %}x{% endif %}\n")
    with pytest.raises(TemplateError, match=r"^模板 t\.md\.j2 第2行：没有“opening”这一项。$"):
        render_template("t.md.j2", {"notes": {}}, override_dir=tmp_path)


def test_error_inside_an_included_template_names_that_file(tmp_path):
    _write(tmp_path, "main.md.j2", "# 标题\n\n{% include 'part.md.j2' %}\n")
    _write(tmp_path, "part.md.j2", "一\n二\n{{ missing }}\n")
    with pytest.raises(TemplateError, match=r"^模板 part\.md\.j2 第3行：变量“missing”未定义"):
        render_template("main.md.j2", {}, override_dir=tmp_path)


def test_failing_filter_and_failing_helper_give_the_line(tmp_path):
    _write(tmp_path, "t.md.j2", "# 标题\n\n到场{{ -5 | duration }}\n")
    with pytest.raises(TemplateError, match=r"^模板 t\.md\.j2 第3行：时长不能为负数：-5。$"):
        render_template("t.md.j2", {}, override_dir=tmp_path)

    def n(code):
        raise ZeroDivisionError("division by zero")

    _write(tmp_path, "u.md.j2", "# 标题\n{{ n('x') }}\n")
    with pytest.raises(TemplateError, match=r"^模板 u\.md\.j2 第2行：渲染出错（ZeroDivisionError: division by zero）"):
        render_template("u.md.j2", {"n": n}, override_dir=tmp_path)


def test_templates_are_sandboxed():
    with pytest.raises(TemplateError, match="第1行"):
        render_string("{{ ''.__class__.__mro__ }}", {})
    with pytest.raises(TemplateError):
        render_string("{{ f.__globals__ }}", {"f": cn_number})


def test_non_utf8_template(tmp_path):
    (tmp_path / "gbk.md.j2").write_bytes("# 标题\n正文\n".encode("gbk"))
    with pytest.raises(TemplateError, match="不是 UTF-8 编码"):
        render_template("gbk.md.j2", {}, override_dir=tmp_path)


def test_check_template():
    check_template("# {{ title }}\n")
    with pytest.raises(TemplateError, match=r"^模板 <字符串模板> 第2行：语法错误"):
        check_template("# 标题\n{% for x in y %}\n")


def test_render_string_filters():
    text = render_string("{{ a | wan('份') }} {{ b | pct }} {{ 3 | cn }} {{ c | yoy(d) }} {{ e | money }}",
                         {"a": 99999, "b": 12.46, "c": 5, "d": 0, "e": 350})
    assert text == "9.9万余份 12.5% 三 去年同期无数据 350元"


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (99, "九十九")])
def test_cn_number(n, text):
    assert cn_number(n) == text


def test_cn_number_range():
    with pytest.raises(ValueError):
        cn_number(0)


def test_parse_blocks_markup():
    text = "\n".join([
        "# 标题",
        "",
        "第一段第一句。",
        "第一段第二句。",
        "",
        "## 三、已有编号的一级标题",
        "Latin",
        "words",
        "### （五）已有编号的二级标题",
        "正文。",
        "## 空的一级标题",
        "#",
        "> 落款单位",
        ">",
        "> 2026年1月8日",
    ])
    doc = parse_blocks(text)
    assert doc.title == "标题"
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "第一段第一句。第一段第二句。"),
        ("heading1", "一、已有编号的一级标题"),
        ("paragraph", "Latin words"),
        ("heading2", "（一）已有编号的二级标题"),
        ("paragraph", "正文。"),
    ]
    assert doc.signature == ["落款单位", "2026年1月8日"]


def test_parse_blocks_options_and_lift():
    text = "## 一、甲\n\n### 乙\n\n## 丙\n正文[x=1]\n"

    def lift(line):
        return line.replace("[x=1]", ""), ({"x": "1"} if "[x=1]" in line else {})

    doc = parse_blocks(text, number_headings=False, drop_empty=False, lift=lift)
    assert [(b.kind, b.text, b.sources) for b in doc.blocks] == [
        ("heading1", "一、甲", {}), ("heading2", "乙", {}), ("heading1", "丙", {}), ("paragraph", "正文", {"x": "1"})]
    assert doc.title == ""


def test_heading_written_as_a_sentence_runs_into_its_paragraph():
    text = "## 工作\n### 强化责任落实。\n召开会议3次。\n### 加强宣传\n发放资料。\n### 空的一节。\n"
    doc = parse_blocks(text)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading1", "一、工作"),
        ("paragraph", "（一）强化责任落实。召开会议3次。"),
        ("heading2", "（二）加强宣传"),
        ("paragraph", "发放资料。"),
    ]
    assert parse_blocks(text, run_in=False).blocks[1].kind == "heading2"


def test_parse_blocks_errors():
    with pytest.raises(TemplateError, match="输出的第3行：文档标题（“# ”开头）只能有一个"):
        parse_blocks("# 一\n\n# 二\n", name="t.md.j2")
    with pytest.raises(TemplateError, match="输出的第1行：最多支持三级"):
        parse_blocks("#### 四级\n")


def test_importable_without_django():
    code = (
        "import sys; import brigade.reports.templating, brigade.reports.docx_writer, brigade.reports.preview, "
        "brigade.reports.redact, brigade.reports.numbers; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
