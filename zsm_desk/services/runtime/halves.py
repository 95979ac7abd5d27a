"""Pure CPU work split over the machine's cores with ``fork``.

Matching a big instroom file is CPU-bound Python (comparing some two million
pairs) on a 2-core machine. A forked child inherits what the parent already
built (the model, the register's blocks), so only the few hits come back,
pickled through a pipe. This suits the frozen bundle too: ``fork`` does not
re-execute the program, so no ``multiprocessing.freeze_support`` is needed.

Only on Linux: on macOS a forked child of a process with Qt loaded may not
touch Objective-C, and Windows has no ``fork``; there the work runs in the
calling process. The work must not touch a database connection, a file or a
lock shared with the parent: a part that raises or whose child dies is simply
done again in the parent, so a failure costs time, never a result.
``ZSM_DESK_WORKERS=1`` turns it off.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar, cast

R = TypeVar("R")
S = TypeVar("S")

#: Below this many units of work a fork costs more than it saves.
MIN_SPLIT = 4_000


def workers() -> int:
    """How many processes a split may use (1: no split)."""
    setting = os.environ.get("ZSM_DESK_WORKERS", "")
    if setting.isdigit() and int(setting) >= 1:
        return int(setting)
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except OSError:
        return 1


def single_threaded() -> bool:
    """Is this process running one thread? A child forked from a process with
    other threads inherits whatever lock those held at that moment (SQLite's
    allocator mutex, for one), so only pure Python work may run there; work
    that opens a database of its own only forks from a single-threaded
    process (the command line, not the window)."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def bounds(n: int, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous ranges covering range(n), as equal as can be."""
    size, extra = divmod(n, parts)
    out = []
    lo = 0
    for k in range(parts):
        hi = lo + size + (1 if k < extra else 0)
        out.append((lo, hi))
        lo = hi
    return out


def split(
    work: Callable[[int, int], R],
    n: int,
    *,
    min_split: int | None = None,
    own: Callable[[R], None] | None = None,
) -> list[R]:
    """``work(lo, hi)`` for contiguous ranges covering range(n), in order.

    The first range runs in this process, the others in forked children when
    there are cores to spare and at least `min_split` (default `MIN_SPLIT`)
    units per part; otherwise everything runs here as ``[work(0, n)]``.
    `own` gets this process's result as soon as it has it, while the
    children still work (to store it, say); it is in the list all the same.
    """
    parts = min(workers(), n // max(MIN_SPLIT if min_split is None else min_split, 1))
    if parts <= 1 or not hasattr(os, "fork"):
        whole = work(0, n)
        if own is not None:
            own(whole)
        return [whole]
    ranges = bounds(n, parts)
    # Objects the parent made so far are not scanned by a child's collector:
    # that would touch (and so copy) every page of the shared heap.
    gc.freeze()
    children: list[tuple[int, int, tuple[int, int]]] = []
    done: dict[tuple[int, int], object] = {}
    try:
        for lo, hi in ranges[1:]:
            child = _fork(work, lo, hi)
            if child is not None:
                children.append((*child, (lo, hi)))
        results = [work(*ranges[0])]
        if own is not None:
            own(results[0])
    except BaseException:
        for pid, _, _ in children:
            _kill(pid)
        raise
    finally:
        for pid, rfd, rng in children:
            done[rng] = _collect(pid, rfd)
        gc.unfreeze()
    for lo, hi in ranges[1:]:
        res = done.get((lo, hi), _FAILED)
        results.append(work(lo, hi) if res is _FAILED else cast(R, res))
    return results


def beside(pure: Callable[[], R], own: Callable[[], S], *, worth: bool = True) -> tuple[R, S]:
    """``(pure(), own())``, with `pure` in a forked child while this process
    runs `own` (which may use the database; `pure` may not, and must not read
    what `own` changes). Serial when not `worth` it or there is no core to
    spare; `pure` is done again here when its child fails."""
    with ahead(pure, worth=worth) as result:
        mine = own()
        return result(), mine


@contextlib.contextmanager
def ahead(pure: Callable[[], R], *, worth: bool = True) -> Iterator[Callable[[], R]]:
    """Start `pure` in a forked child now; the yielded function returns its
    result, waiting for the child (or computing it here when there is no core
    to spare, it was not `worth` it, or the child failed). The same rules as
    :func:`beside`: `pure` touches no database connection or shared file.
    Leaving the block without asking kills the child."""
    if not worth or workers() < 2 or not hasattr(os, "fork"):
        yield pure
        return
    gc.freeze()
    child = _fork(lambda _lo, _hi: pure(), 0, 0)
    got: list[object] = []

    def result() -> R:
        if not got:
            got.append(_FAILED if child is None else _collect(*child))
        return pure() if got[0] is _FAILED else cast(R, got[0])

    try:
        yield result
    finally:
        if child is not None and not got:
            _kill(child[0])
            _collect(*child)
        gc.unfreeze()


def _kill(pid: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)


_FAILED = object()


def _fork(work: Callable[[int, int], object], lo: int, hi: int) -> tuple[int, int] | None:
    """Start a child computing ``work(lo, hi)``: (pid, read end), or None."""
    try:
        rfd, wfd = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return None
    if pid == 0:  # the child: compute, write, leave without any clean-up
        code = 1
        try:
            os.close(rfd)
            data = pickle.dumps(work(lo, hi), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(wfd, "wb") as out:
                out.write(data)
            code = 0
        finally:
            # no atexit, no finalisers: the parent's database connections and
            # open files must not be closed or flushed from here
            os._exit(code)
    os.close(wfd)
    return pid, rfd


def _collect(pid: int, rfd: int) -> object:
    """The child's result, or _FAILED when it did not finish cleanly."""
    chunks = []
    with os.fdopen(rfd, "rb") as src:
        while chunk := src.read(1 << 20):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return _FAILED
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # a truncated result: the parent does the part again
        return _FAILED


__all__ = ["MIN_SPLIT", "ahead", "beside", "bounds", "single_threaded", "split", "workers"]
