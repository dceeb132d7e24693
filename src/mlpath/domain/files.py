"""Reading input files safely: regular files only, never more than a size bound.

A FIFO, a device such as ``/dev/zero`` or a folder is refused without blocking or
reading it, and a file larger than the bound is refused before it is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MiB = 1 << 20


class NotRegular(OSError):
    """The path exists but is not a regular file (or is larger than allowed)."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of the regular file ``path``; OSError (FileNotFoundError, NotRegular...) if not.

    The file is opened without blocking, so a FIFO cannot hang the caller.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise NotRegular(errno.EINVAL, f"it is {kind}", str(path))
        if info.st_size > limit:
            raise NotRegular(
                errno.EFBIG,
                f"it is larger than {limit // MiB} MiB ({info.st_size // MiB} MiB)",
                str(path),
            )
        chunks = []
        total = 0
        while True:
            # one read holds a regular file whole (no copy when joining a single chunk)
            chunk = os.read(fd, min(limit + 1 - total, max(info.st_size + 1, 1 << 16)))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise NotRegular(errno.EFBIG, f"it grew past {limit // MiB} MiB", str(path))
        return b"".join(chunks)
    finally:
        os.close(fd)
