"""Slim an installed layer safely and write it as a reproducible zip.

Slimming removes what Lambda never reads (byte code, ``tests`` folders, documentation folders
that are not importable packages, console scripts with the build machine's shebang) and keeps every
``.dist-info``: packages read their own metadata at run time, and deleting it breaks them
(serverless/serverless-python-requirements#441).

The zip is reproducible: entries sorted, one fixed timestamp (``SOURCE_DATE_EPOCH`` when set,
else 1980-01-01), modes normalised to 0644 (0755 for executables), so the same inputs give
the same SHA-256 and Lambda reports the same CodeSha256.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
import stat
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lambda_specialist.errors import InvalidInputError

__all__ = ["ZipDigest", "slim_tree", "write_zip", "zip_timestamp"]

SLIM_DIRECTORIES = frozenset({"__pycache__", "tests"})
# Documentation folders go only when they are not importable: botocore.docs is code.
DOC_DIRECTORIES = frozenset({"docs", "doc"})
SLIM_SUFFIXES = (".pyc", ".pyo")
_EPOCH_1980 = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ZipDigest:
    """The digests of a written zip."""

    sha256: str
    code_sha256: str
    size: int


def slim_tree(site: Path) -> tuple[int, int]:
    """Remove what Lambda never reads from the installed ``site`` directory.

    Returns:
        The number of files and bytes removed.
    """
    files = removed = 0
    for path in sorted(site.rglob("*"), key=lambda p: len(p.parts)):
        if not path.exists() or path.is_symlink():
            continue
        is_junk_dir = path.is_dir() and (
            path.name in SLIM_DIRECTORIES
            or (path.name in DOC_DIRECTORIES and not (path / "__init__.py").exists())
            or (path.name == "bin" and path.parent == site)
        )
        if is_junk_dir and not path.parent.name.endswith(".dist-info"):
            count, size = _tree_size(path)
            shutil.rmtree(path)
            files, removed = files + count, removed + size
        elif path.is_file() and path.suffix in SLIM_SUFFIXES:
            files, removed = files + 1, removed + path.stat().st_size
            path.unlink()
    return files, removed


def write_zip(root: Path, output: Path) -> ZipDigest:
    """Zip every file under ``root`` into ``output`` reproducibly and return its digests.

    The zip is written next to ``output`` and moved into place, so a failed write never
    leaves a half-written file at ``output``.
    """
    stamp = zip_timestamp()
    partial = output.with_name(f".{output.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(path.relative_to(root).as_posix(), date_time=stamp)
                executable = path.stat().st_mode & stat.S_IXUSR
                info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                with path.open("rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
        digest = hashlib.sha256()
        with partial.open("rb") as written:
            for block in iter(lambda: written.read(1024 * 1024), b""):
                digest.update(block)
        os.replace(partial, output)
    except (OSError, ValueError) as exc:
        raise InvalidInputError(
            f"Could not write the layer to '{output}': {exc.__class__.__name__}. Name a .zip "
            "file in a folder you can write to."
        ) from exc
    finally:
        with contextlib.suppress(OSError, ValueError):
            partial.unlink(missing_ok=True)
    return ZipDigest(
        sha256=digest.hexdigest(),
        code_sha256=base64.b64encode(digest.digest()).decode("ascii"),
        size=output.stat().st_size,
    )


def zip_timestamp() -> tuple[int, int, int, int, int, int]:
    """Return the timestamp every entry gets: SOURCE_DATE_EPOCH (UTC) or 1980-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return _EPOCH_1980
    moment = datetime.fromtimestamp(int(epoch), UTC)
    if moment.year < 1980:
        return _EPOCH_1980
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _tree_size(path: Path) -> tuple[int, int]:
    sizes = [p.stat().st_size for p in path.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)
