"""The worker pool: `fork_map`, a small fork-based pool without threads (a leaf module).

Workers inherit what the parent holds, claim tasks through a shared counter and send their
results once; they die with the build (`PR_SET_PDEATHSIG`), so a killed build leaves no process.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import traceback
from collections.abc import Callable
from multiprocessing.connection import wait
from typing import Any


def fork_map(fn: Callable[[Any], Any], tasks: list[Any], jobs: int, alongside: Callable[[], None] | None = None,
             progress: Callable[[int], None] | None = None) -> list[Any]:
    """`[fn(t) for t in tasks]` (in task order) on `jobs` forked processes.

    Why not `multiprocessing.Pool`: its handler threads live in this process, and `alongside`
    (feeds and open data) may run anything meanwhile, even fork; forking with threads around
    can deadlock. Here workers inherit `fn` and `tasks`, claim tasks through a shared
    counter (dynamic balancing, no threads) and send their results once, when done, so a busy
    parent never stalls them. `alongside` runs in this process meanwhile.
    """
    ctx = mp.get_context("fork")
    counter = ctx.Value("i", 0)
    # Everything alive now (the site, its models, the bodies) lives until the build ends: move it
    # out of the collector's reach. Otherwise every full collection in a worker walks the whole
    # inherited heap — time that grows with documents × pages rendered, and copy-on-write copies
    # of pages the worker never meant to write.
    gc.freeze()
    procs, readers = [], []
    try:
        for _ in range(min(jobs, len(tasks)) or 1):
            reader, sender = ctx.Pipe(duplex=False)
            args = (fn, tasks, counter, sender, list(readers), os.getpid())
            proc = ctx.Process(target=_work, args=args, daemon=True)
            proc.start()
            sender.close()
            procs.append(proc)
            readers.append(reader)
        if alongside is not None:
            alongside()
        results: list[Any] = [None] * len(tasks)
        pending = list(readers)
        while pending:
            for reader in wait(pending, timeout=0.25):
                try:
                    status, payload = reader.recv()  # type: ignore[union-attr]
                except EOFError:
                    raise RuntimeError("a render worker died") from None
                if status == "oserror":
                    code, text, filename, trace = payload
                    raise OSError(code, text, filename) from RuntimeError(f"in a render worker:\n{trace}")
                if status != "ok":
                    raise RuntimeError(f"a render worker failed:\n{payload}")
                for n, result in payload:
                    results[n] = result
                pending.remove(reader)
            if progress is not None:
                progress(min(counter.value, len(tasks)))  # type: ignore[attr-defined]
        return results
    finally:
        gc.unfreeze()
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
                proc.join()


def die_with_parent(parent: int) -> None:
    """A killed build must not leave workers behind (Linux: the kernel sends them SIGKILL)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        raise SystemExit(1)  # multiprocessing ends the process (without the parent's exit handlers)


def _work(fn: Callable[[Any], Any], tasks: list[Any], counter: Any, sender: Any, inherited: list[Any], parent: int) -> None:
    die_with_parent(parent)
    for other in inherited:  # other workers' pipes: a dead parent must mean EOF for them
        other.close()
    done = []
    try:
        while True:
            if os.getppid() != parent:
                return  # orphaned: nobody wants the results
            with counter.get_lock():
                n = counter.value
                counter.value += 1
            if n >= len(tasks):
                break
            done.append((n, fn(tasks[n])))
        sender.send(("ok", done))
    except OSError as exc:  # a full disk, a read-only folder: the parent raises it as it was
        sender.send(("oserror", (exc.errno, exc.strerror, exc.filename, traceback.format_exc())))
    except BaseException:  # noqa: BLE001 - reported by the parent, with the worker's traceback
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


class Forked:
    """`fn(*args)` in one forked process while this one goes on: `result()` waits for its value,
    `cancel()` stops it when the answer is no longer needed."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        ctx = mp.get_context("fork")
        self.reader, sender = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_call, args=(fn, args, sender, os.getpid()), daemon=True)
        self.proc.start()
        sender.close()

    def result(self) -> Any:
        try:
            status, payload = self.reader.recv()
        except EOFError:
            raise RuntimeError("a forked worker died") from None
        finally:
            self.reader.close()
            self.proc.join()
        if status != "ok":
            raise RuntimeError(f"a forked worker failed:\n{payload}")
        return payload

    def cancel(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.reader.close()


def _call(fn: Callable[..., Any], args: tuple[Any, ...], sender: Any, parent: int) -> None:
    die_with_parent(parent)
    try:
        sender.send(("ok", fn(*args)))
    except BaseException:  # noqa: BLE001 - reported by the parent, with the worker's traceback
        sender.send(("error", traceback.format_exc()))
    finally:
        sender.close()


def pool_jobs(jobs: int) -> int:
    """How many workers `jobs` means here (1 where fork is not available; 0: all cores)."""
    if "fork" not in mp.get_all_start_methods():
        return 1
    return jobs or os.cpu_count() or 1
