"""Work split over forked processes (services/runtime/halves.py)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from zsm_desk.services.runtime import halves

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork only on Linux")


def _squares(lo: int, hi: int) -> tuple[int, list[int]]:
    return os.getpid(), [n * n for n in range(lo, hi)]


@pytest.mark.parametrize(("n", "parts"), [(0, 3), (5, 2), (10, 3), (7, 7), (3, 5)])
def test_bounds_cover_the_range_in_order(n: int, parts: int) -> None:
    ranges = halves.bounds(n, parts)
    assert len(ranges) == parts
    assert [i for lo, hi in ranges for i in range(lo, hi)] == list(range(n))
    sizes = [hi - lo for lo, hi in ranges]
    assert max(sizes) - min(sizes) <= 1


@linux
def test_split_forks_and_returns_every_part_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "3")
    parts = halves.split(_squares, 30, min_split=5)
    assert [sq for _, part in parts for sq in part] == [n * n for n in range(30)]
    pids = [pid for pid, _ in parts]
    assert pids[0] == os.getpid() and len(set(pids)) == 3  # two children did their part


@linux
@pytest.mark.parametrize("workers", ["3", "1"])
def test_split_hands_its_own_part_over_before_the_children_end(
    monkeypatch: pytest.MonkeyPatch, workers: str, tmp_path: Path
) -> None:
    """`own` gets this process's part while the children still work (here
    each child waits for a file that `own` writes), and only that part."""
    monkeypatch.setenv("ZSM_DESK_WORKERS", workers)
    flag = tmp_path / "own-done"

    def work(lo: int, hi: int) -> tuple[int, list[int]]:
        if lo > 0:  # a child's part: not before `own` had the parent's
            for _ in range(500):
                if flag.exists():
                    break
                time.sleep(0.01)
            else:
                raise AssertionError("own came after the children")
        return _squares(lo, hi)

    seen: list[tuple[int, list[int]]] = []

    def own(res: tuple[int, list[int]]) -> None:
        seen.append(res)
        flag.touch()

    parts = halves.split(work, 30, min_split=5, own=own)
    assert [x for _, sq in parts for x in sq] == [n * n for n in range(30)]
    assert seen == [parts[0]] and seen[0][0] == os.getpid()
    assert len(parts) == (3 if workers == "3" else 1)
    if workers == "3":  # each child's part came from that child, not done again here
        assert len({pid for pid, _ in parts}) == 3


def test_split_stays_in_process_when_off_or_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "1")
    assert halves.split(_squares, 30, min_split=1) == [_squares(0, 30)]
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    assert halves.split(_squares, 30, min_split=20) == [_squares(0, 30)]  # too little work


@linux
def test_a_part_whose_child_fails_is_done_again_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that raises, or dies without a word, costs time, never a result."""
    monkeypatch.setenv("ZSM_DESK_WORKERS", "3")
    parent = os.getpid()

    def flaky(lo: int, hi: int) -> list[int]:
        if os.getpid() != parent:
            if lo < 15:
                raise RuntimeError("kapot")  # the child's exception, reported by exit code
            os._exit(0)  # no result written at all
        return list(range(lo, hi))

    parts = halves.split(flaky, 30, min_split=5)
    assert [i for part in parts for i in part] == list(range(30))


@linux
def test_the_parents_own_failure_leaves_no_child_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    parent = os.getpid()
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)

    def work(lo: int, hi: int) -> int:
        if os.getpid() == parent:
            raise ValueError("ouder faalt")
        return hi - lo

    with pytest.raises(ValueError, match="ouder faalt"):
        halves.split(work, 20, min_split=5)
    assert len(forked) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forked[0], os.WNOHANG)  # killed and reaped


def test_workers_follows_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "4")
    assert halves.workers() == 4
    monkeypatch.setenv("ZSM_DESK_WORKERS", "nul")
    assert halves.workers() >= 1


@linux
def test_beside_runs_the_pure_part_in_a_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    parent = os.getpid()
    done: list[str] = []
    pure_pid, mine = halves.beside(os.getpid, lambda: done.append("eigen") or "klaar")
    assert pure_pid != parent and mine == "klaar" and done == ["eigen"]


def test_beside_serial_when_not_worth_it_or_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    assert halves.beside(os.getpid, lambda: 1, worth=False) == (os.getpid(), 1)
    monkeypatch.setenv("ZSM_DESK_WORKERS", "1")
    assert halves.beside(os.getpid, lambda: 1) == (os.getpid(), 1)


@linux
def test_beside_redoes_a_failed_pure_part_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    parent = os.getpid()

    def pure() -> int:
        if os.getpid() != parent:
            raise RuntimeError("kapot")
        return 42

    assert halves.beside(pure, lambda: "eigen") == (42, "eigen")


@linux
def test_ahead_result_comes_from_the_child_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    with halves.ahead(os.getpid) as result:
        first = result()
        assert first != os.getpid() and result() == first


@linux
def test_leaving_ahead_without_asking_reaps_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZSM_DESK_WORKERS", "2")
    started: list[int] = []
    fork = halves._fork

    def recorded(*args: object) -> tuple[int, int] | None:
        child = fork(*args)  # type: ignore[arg-type]
        if child is not None:
            started.append(child[0])
        return child

    monkeypatch.setattr(halves, "_fork", recorded)
    with pytest.raises(RuntimeError, match="eigen fout"), halves.ahead(os.getpid):
        raise RuntimeError("eigen fout")
    assert len(started) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(started[0], os.WNOHANG)  # reaped: not even a zombie is left


def test_single_threaded_sees_another_thread() -> None:
    """A thread besides this one (a window's worker) rules out forked work
    that opens a database of its own (match_store.readable_apart)."""
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not halves.single_threaded()
    finally:
        stop.set()
        t.join()
