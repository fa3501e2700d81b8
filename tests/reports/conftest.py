"""Fixtures for the document side of reports: plain Documents, no database."""

import pytest

from brigade.reports.document import Block, Document


@pytest.fixture
def sample_document() -> Document:
    """A short summary with every block kind, names to redact and digits of both widths."""
    return Document(
        title="青石区消防救援大队2025年工作总结",
        blocks=[
            Block("paragraph", "2025年，大队全年检查单位2731家，兰山街道完成网格巡查。"),
            Block("heading1", "一、2025年工作开展情况"),
            Block("heading2", "（一）压实消防安全责任"),
            Block("paragraph", "召开专题会议6次，印发通知３８份，约谈河东路沿线单位负责人213人。",
                  {"responsibility.committee_meetings": 6, "campaign:兰山行动:units": "12"}),
            Block("paragraph", "（二）严格监督执法。兰山镇检查单位1200家，整改隐患4120处。"),
            Block("paragraph", "1.深化六熟悉。开展熟悉演练312次。"),
            Block("heading1", "二、存在的问题和不足"),
            Block("paragraph", "柳青街道无消防救援站，<b>青石融媒体中心</b> & 宣传覆盖仍有差距。"),
        ],
        signature=["青石区消防救援大队", "2026年1月8日"],
        sensitive_names={"兰山街道", "兰山", "河东路", "柳青街道", "青石融媒体中心"},
    )
