"""``jixiao check <folder>``: every package of a folder, read and checked on all the machine's cores.

A bureau checks hundreds of packages at a deadline, and reading a Word file costs tens of
milliseconds: one process per core does the folder in about 1/cores of the time. The work is
split by package; each package is read and checked whole in one worker, which sends back only
what the command prints for it (a few hundred bytes of text or one JSON entry): a whole checked
package costs more to unpickle than to check again.

The workers are forked from the warmed-up command (rule pack, forms, checks loaded and frozen
for the garbage collector, jixiao.warmup), so each starts checking at once. Never more workers
than cores: more only take turns on them. Output is in folder order whatever order the workers
finish in, and is the same, byte for byte, as one process gives (a test compares them). A
worker that dies (killed, out of memory) loses nothing: the packages not yet sent back are
checked again in this process. The workers die with the command, however it ends: Ctrl-C stops
them at once, and a command killed outright takes them along (the kernel signals each worker
when its parent dies), so none is left running with no one to read its answers.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import threading
from concurrent.futures import InvalidStateError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from .output import Styler, print_check_text

# Fewer packages than this per worker and the fork costs more than it saves.
MIN_PER_WORKER = 2


@dataclass(frozen=True)
class Checked:
    """One package of the folder as the command prints it."""

    where: str  # its files, as the folder rule names them
    unit: str | None = None  # None: the package could not be read
    error: str | None = None  # why it could not be read (Chinese)
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    self_total: Any = None  # the overall table's totals (Decimal or None)
    computed_total: Any = None
    text: str | None = None  # the text report (format text, without --summary)
    entry: dict[str, Any] | None = None  # the JSON entry (format json)

    @property
    def has_errors(self) -> bool:
        return self.errors > 0


@dataclass
class FolderJob:
    """What every package of the folder is checked with."""

    groups: list  # jixiao.io.folders.Group, in folder order
    named: Any  # the --pack rule pack, or None
    cycle: Any  # jixiao.cycle.CycleContext, or None
    output: str  # "text", "summary" or "json"
    style: Styler


# The job of the running command: forked workers inherit it, so no group or pack is pickled.
_JOB: FolderJob | None = None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_folder(job: FolderJob, jobs: int | None = None, on_done=None) -> list[Checked]:
    """Every package of ``job`` in folder order, over ``jobs`` processes (None: one per core; never
    more than the cores). ``on_done(checked)`` is called with each package in folder order, as soon
    as it and those before it are done (the text report is printed as it comes)."""
    global _JOB
    n = len(job.groups)
    cores = usable_cores()
    workers = min(jobs or cores, cores, n // MIN_PER_WORKER)
    if workers <= 1 or not _can_fork():
        return [_tick(check_one(job, i), on_done) for i in range(n)]
    _JOB = job
    done: list[Checked] = []
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_fork_context(),
                               initializer=_die_with, initargs=(os.getpid(),))
    hook, threading.excepthook = threading.excepthook, _quiet_manager_race(threading.excepthook)
    try:
        # Chunks: fewer round trips, yet small enough that the cores finish together.
        for checked in pool.map(_check_in_worker, range(n), chunksize=max(1, n // (workers * 8))):
            done.append(_tick(checked, on_done))
    except BrokenProcessPool:
        print(f"jixiao: 审核子进程意外退出；其余 {n - len(done)} 份材料改在本进程中逐份审核", file=sys.stderr)
        done.extend(_tick(check_one(job, i), on_done) for i in range(len(done), n))
    except BaseException:  # Ctrl-C, a closed pipe, a bug: stop the workers now, not after their chunks
        manager = getattr(pool, "_executor_manager_thread", None)  # which _stop's shutdown forgets
        _stop(pool)
        if manager is not None:
            manager.join(timeout=10)  # it marks the pending futures failed, within the hook below
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        threading.excepthook = hook
        _JOB = None
    return done


def _quiet_manager_race(previous):
    """threading.excepthook while a pool runs: ``previous`` for every exception but one. When the
    workers are stopped (Ctrl-C), the futures not yet run are cancelled, and the pool's manager
    thread, finding its workers gone, marks each pending future failed; on a future cancelled a
    moment before, CPython 3.11's ``terminate_broken`` raises InvalidStateError, and the thread
    would print its traceback under the command's 已中断. Nothing is lost: those packages were
    not going to be printed."""
    def hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is InvalidStateError and type(args.thread).__name__ == "_ExecutorManagerThread":
            return
        previous(args)

    return hook


def _tick(checked: Checked, on_done) -> Checked:
    if on_done is not None:
        on_done(checked)
    return checked


def _stop(pool: ProcessPoolExecutor) -> None:
    # The executor keeps its processes in a private mapping (the same from Python 3.8 to 3.13),
    # which its shutdown empties: taken first. Without it a stop waits for every worker to
    # finish the packages it holds.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def _die_with(parent: int) -> None:
    """In each worker: be sent SIGTERM when the command that forked it dies, however it dies
    (Linux's PR_SET_PDEATHSIG); a worker whose command is already gone leaves at once."""
    import ctypes
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's to handle: it stops us
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: Ctrl-C and the pool's own shutdown still stop them
        pass
    if os.getppid() != parent:
        os._exit(1)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _fork_context():
    import multiprocessing

    return multiprocessing.get_context("fork")


def _check_in_worker(index: int) -> Checked:
    assert _JOB is not None, "a folder worker runs only under check_folder"
    return check_one(_JOB, index)


def check_one(job: FolderJob, index: int) -> Checked:
    """Read and check the folder's package ``index``; what the command prints of it."""
    from ..api import check_package
    from ..forms import form_of
    from ..io import InputError
    from . import CommandError
    from .core import pack_of, with_import
    from .cycle_commands import targets_not_for

    group = job.groups[index]
    try:
        imported = group.read()
        pack = pack_of(job.named, imported.package)
        if (why := targets_not_for(imported.package, job.cycle)) is not None:
            raise CommandError(why)
    except (InputError, CommandError) as exc:
        entry = {"path": group.where, "files": _files(group), "unit": group.unit, "error": str(exc)}
        return Checked(group.where, error=str(exc), entry=entry if job.output == "json" else None)
    result = check_package(imported.package, pack, cycle=job.cycle)
    unit = result.package.unit_name
    text = entry = None
    if job.output == "json":
        entry = {"path": group.where, "files": _files(group), "unit": unit or group.unit,
                 **with_import(result.to_dict(), imported)}
    elif job.output == "text":
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            print(job.style(f"━━ {unit or group.label}（{group.where}）━━", "1"))
            print_check_text(result, job.style, imported.issues, form_of(pack))
            print()
        text = out.getvalue()
    return summarised(group.where, result, text=text, entry=entry)


def summarised(where: str, result, *, text: str | None = None, entry: dict[str, Any] | None = None) -> Checked:
    """A checked package (jixiao.api.CheckResult) as its summary row."""
    first = result.scores[0] if result.scores else None
    return Checked(where, unit=result.package.unit_name, errors=result.count("error"),
                   warnings=result.count("warning"), infos=result.count("info"),
                   self_total=first.self_total if first else None,
                   computed_total=first.computed_total if first else None, text=text, entry=entry)


def _files(group) -> list[str]:
    return [str(f) for f in group.files] or [str(group.folder)]
