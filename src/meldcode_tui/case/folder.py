"""The data folder: created private, and an existing one checked before any file in it is trusted.

Whoever can write in the data folder can delete a case, forge one, or plant a lock that keeps a
case read-only; whoever can read it reads the cases. So a folder is refused when every user of the
computer may read or write it (`mode & 0o007`), or when another user owns it, unless it is a team
folder: owned by someone else but shared through a group this user belongs to, with no access for
others (e.g. `chmod 770`, or 750 to only read). Windows has no owner ids or mode bits of this kind
(`os.getuid` does not exist there); the checks are skipped and the folder's ACLs decide.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from meldcode_tui.case.atomic import DIR_MODE
from meldcode_tui.case.errors import DataFolderError, UnsafeFolderError


def ensure_folder(root: Path) -> None:
    """Create the data folder 0700 (parents with the default mode), or check an existing one."""
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        root.mkdir(mode=DIR_MODE)
    except FileExistsError:
        if not root.is_dir():
            raise DataFolderError(f"the data folder {root} is not a folder") from None
        check_folder(root)
        return
    except OSError as exc:
        raise DataFolderError(f"cannot create the data folder {root}: {exc.strerror}") from None
    os.chmod(root, DIR_MODE)


def check_folder(root: Path) -> None:
    """Raise `UnsafeFolderError` if `root` is open to every user or owned by another user outside
    a shared group; `FileNotFoundError` if it does not exist. A no-op on Windows."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return
    try:
        info = os.stat(root)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise DataFolderError(f"cannot read the data folder {root}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise DataFolderError(f"the data folder {root} is not a folder")
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o007:
        raise UnsafeFolderError(
            root,
            "others",
            mode,
            f"the data folder {root} is open to every user of this computer (mode {mode:04o}): "
            f"anyone could read, change or delete cases. Make it private with: chmod 700 {root} "
            "(or chmod 770 for a team folder shared with one group)",
        )
    if info.st_uid != getuid() and not _shared_with_me(info.st_gid, mode):
        raise UnsafeFolderError(
            root,
            "owner",
            mode,
            f"the data folder {root} belongs to another user (uid {info.st_uid}), who could "
            "change or delete cases in it. Use a folder of your own (--data-dir), or have its "
            "owner share it with a group you are in: chgrp GROUP DIR; chmod 770 DIR",
        )


def _shared_with_me(gid: int, mode: int) -> bool:
    """A team folder: its group is one of this user's groups and may enter and read it."""
    groups = {os.getgid(), *os.getgroups()} if hasattr(os, "getgroups") else {os.getgid()}
    return gid in groups and mode & 0o050 == 0o050
