"""Writing a file so that its old or its new content survives any crash.

Used for the store, its backups and exports: a temporary file in the same folder is
written, flushed and fsynced, then ``os.replace``-d over the target, and the folder is
fsynced.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from mlpath.errors import StoreWriteError

TYPE_CHECKING = False  # typing itself costs ~3 ms to import on every command
if TYPE_CHECKING:
    from typing import BinaryIO

    # What to write: the bytes, or a function that writes them into the open temporary
    # file (a long store is copied in chunks, never held whole).
    Payload = bytes | Callable[[BinaryIO], None]


def user_mode() -> int:
    """The mode a new file gets from the user's umask (0o666 & ~umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(
    path: Path,
    payload: Payload,
    *,
    unchanged: str = "Your previous progress is intact.",
    mode: int | None = None,
) -> None:
    """Write ``payload`` to ``path`` so that the old or the new content survives any crash.

    ``payload`` is the bytes, or a function that writes them to the open temporary file;
    whatever it raises leaves ``path`` as it was (the temporary file is removed).

    A symbolic link is written through: its target is replaced atomically, in the
    target's folder, and the link stays. ``mode`` is the new file's permissions
    (default 0600, private: the store and its backups). Raises StoreWriteError naming
    the OS's reason, followed by ``unchanged``.
    """
    tmp_name = None
    try:
        if path.is_symlink():
            path = Path(os.path.realpath(path))
        fd, tmp_name = _mkstemp(path.parent, f".{path.name}.", ".tmp")
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(payload, bytes):
                fh.write(payload)
            else:
                payload(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise StoreWriteError(
            f"Could not save {path}: {exc.strerror or exc}. {unchanged}",
            hint="Free some disk space or check permissions, then run the command again.",
        ) from None
    finally:
        if tmp_name is not None:
            with suppress(OSError):
                os.unlink(tmp_name)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable. Best effort: the new file is already in place, so a
    failure here must not report the save as failed (a retry would record it twice)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not supported on this platform
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mkstemp(folder: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """A new private file in ``folder``, opened for writing: what ``tempfile.mkstemp``
    does (O_EXCL, no following links, mode 0600), without importing tempfile, shutil and
    random (~4 ms of every save)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        name = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found", str(folder))
