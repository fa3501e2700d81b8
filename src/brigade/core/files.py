"""Write output files all-or-nothing: a temp file in the same folder, renamed into place."""

import contextlib
import os
import tempfile
from pathlib import Path

from brigade.core.errors import UserError


class OutputError(UserError):
    """The output file cannot be written where the user asked."""


@contextlib.contextmanager
def atomic_output(path: str | Path):
    """Yield a temporary path to write; on success it replaces ``path``, on failure nothing is left."""
    path = Path(path)
    if not path.parent.is_dir():
        raise OutputError(f"无法写入“{path}”：文件夹“{path.parent}”不存在。")
    try:
        fd, tmp = tempfile.mkstemp(suffix=path.suffix, prefix=".tmp-", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{exc.strerror or exc}。") from exc
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes files private; a report is meant to be shared
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"无法写入“{path}”：{exc.strerror or exc}。") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
