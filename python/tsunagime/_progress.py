"""Progress reporting for long calls: ``progress=True`` shows a tqdm bar (``tqdm.auto``, so
notebooks get a widget), a callable receives ``(stage, done, total)``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

Progress = bool | Callable[[str, int, int], object] | None


@contextlib.contextmanager
def reporter(progress: Progress) -> Iterator[Callable[[str, int, int], object] | None]:
    """The callback to hand to the native call, closing any bar afterwards."""
    if not progress:
        yield None
        return
    if callable(progress):
        yield progress
        return
    try:
        from tqdm.auto import tqdm
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("progress=True needs tqdm: pip install tqdm") from e
    bar: Any = None

    def update(stage: str, done: int, total: int) -> None:
        nonlocal bar
        if bar is None or bar.desc != stage:
            if bar is not None:
                bar.close()
            bar = tqdm(total=total or None, desc=stage, unit_scale=True)
        bar.n = done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
