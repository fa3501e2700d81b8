"""Shared bits of the import / export / template commands."""

from brigade.io.ledgers import all_ledgers


def ledger_listing() -> str:
    """Every ledger with its code and Chinese name, one a line."""
    lines = ["可用的台账（代码  名称）："]
    for ledger in all_ledgers().values():
        lines.append(f"  {ledger.name:<24}{ledger.title}")
    return "\n".join(lines)
