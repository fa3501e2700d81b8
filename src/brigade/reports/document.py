"""A plain document structure: what a report or notice says, independent of the file format.

Writers (Word per GB/T 9704, Markdown, HTML) take a Document; nothing here knows Django.
"""

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading1", "heading2", "paragraph", "table"]


@dataclass
class Block:
    kind: BlockKind
    text: str
    # The metric codes and values the sentence used (for --explain and traceability).
    sources: dict[str, float | int | str] = field(default_factory=dict)
    # A table's cells, the first row its header (kind "table"; ``text`` is then empty).
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    # Closing lines under the body (issuing organisation, date), right-aligned in Word.
    signature: list[str] = field(default_factory=list)
    # Names that redaction replaces with ** (streets, roads, units, people, media outlets).
    sensitive_names: set[str] = field(default_factory=set)
