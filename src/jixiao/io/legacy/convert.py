"""Converting old Office files with LibreOffice, headless, in a fenced-off subprocess.

Each call starts its own ``soffice`` with:

- a fresh, throw-away profile (``-env:UserInstallation``) made for the call and deleted
  after it, pre-seeded so that macros never run: macro security "very high" with no
  trusted locations, ``DisableMacrosExecution`` on, links and external data never updated
  on load, no formula recalculation on load;
- a clean environment (no proxy or other variables of ours; HOME and TMPDIR inside the
  throw-away directory) and, where the kernel lets us (``unshare --net``, as root or with
  user namespaces), a network namespace of its own with no interface but a down loopback;
- resource limits set in the child before LibreOffice starts: address space
  (``MEMORY_BYTES``), CPU seconds, the size of any file it writes, no core dumps;
- a wall-clock ``TIMEOUT_SECONDS`` after which its whole process group is killed
  (``soffice`` starts ``soffice.bin`` as a child; both go), and a watchdog in the group
  (coreutils ``timeout``) that does the same a little later should this process die first;
- input capped at ``MAX_INPUT_BYTES`` before anything starts, and only our own file
  names on disk (the uploaded name is never a path).

What cannot be enforced from here: without ``unshare`` the converter could in principle
open network connections (LibreOffice does not for a conversion with links and updates
off, and the profile turns them off); the memory limit is on address space, not resident
memory. The converted file is still untrusted: it goes through ``jixiao.io.safe`` like
any upload.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import InputError

# The command that converts: LibreOffice's soffice, or any program taking the same
# arguments (`--headless --convert-to EXT --outdir DIR FILE...`). JIXIAO_SOFFICE overrides.
SOFFICE = os.environ.get("JIXIAO_SOFFICE", "soffice")
TIMEOUT_SECONDS = float(os.environ.get("JIXIAO_CONVERT_TIMEOUT", "60"))  # wall clock, per call
MEMORY_BYTES = 1536 * 1024 * 1024  # RLIMIT_AS of the converter (it needs about 1 GB of address space)
CPU_SECONDS = 120  # RLIMIT_CPU
MAX_OUTPUT_BYTES = 128 * 1024 * 1024  # RLIMIT_FSIZE: no file it writes grows past this
MAX_INPUT_BYTES = 20 * 1024 * 1024  # an old file larger than this is not converted
WATCHDOG_GRACE = 5  # seconds past the timeout after which the watchdog kills the group on its own
NETWORK_ISOLATION = "auto"  # 'auto': a private network namespace when `unshare --net` works; 'off'

# Export filters by target extension.
FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML",
           "doc": "doc:MS Word 97", "xls": "xls:MS Excel 97"}

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="SecureURL" oor:op="fuse"><value/></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Internet"><prop oor:name="ooInetProxyType" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

# Sets the limits in the child, then becomes the converter (exec keeps the pid and the group).
# A separate interpreter rather than preexec_fn: preexec_fn is unsafe in a threaded server.
_LIMITS = (
    "import os,resource,sys\n"
    "a,c,f=(int(x) for x in sys.argv[1:4])\n"
    "resource.setrlimit(resource.RLIMIT_AS,(a,a))\n"
    "resource.setrlimit(resource.RLIMIT_CPU,(c,c))\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE,(f,f))\n"
    "resource.setrlimit(resource.RLIMIT_CORE,(0,0))\n"
    "os.execvp(sys.argv[4],sys.argv[4:])\n"
)

_unshare_ok: bool | None = None


@dataclass
class Converted:
    data: bytes
    seconds: float


def _network_prefix() -> list[str]:
    global _unshare_ok
    if NETWORK_ISOLATION == "off":
        return []
    if _unshare_ok is None:
        unshare = shutil.which("unshare")
        try:
            _unshare_ok = bool(unshare) and subprocess.run(
                [unshare, "--net", "true"], capture_output=True, timeout=10, env={"PATH": os.defpath}
            ).returncode == 0
        except (OSError, subprocess.SubprocessError):
            _unshare_ok = False
    return [shutil.which("unshare") or "unshare", "--net"] if _unshare_ok else []


def fenced(command: list[str], limit: float) -> list[str]:
    """``command`` inside the fence: its own network namespace (where possible), the resource
    limits, and a watchdog (coreutils ``timeout``) that kills its process group at ``limit`` +
    ``WATCHDOG_GRACE`` seconds even if this process dies before it can."""
    watchdog = shutil.which("timeout")
    guard = [watchdog, "-s", "KILL", f"{limit + WATCHDOG_GRACE:g}"] if watchdog else []
    return [*_network_prefix(), sys.executable, "-I", "-S", "-c", _LIMITS,
            str(MEMORY_BYTES), str(CPU_SECONDS), str(MAX_OUTPUT_BYTES), *guard, *command]


def converter_command() -> str:
    """The converter's path; InputError when it is not installed."""
    found = shutil.which(SOFFICE)
    if found is None:
        raise InputError("服务器未安装 LibreOffice，无法读取旧格式文件；请在 Office/WPS 中另存为 .docx/.xlsx 后再导入")
    return found


def convert_many(files: list[tuple[bytes, str]], target: str, *, timeout: float | None = None) -> list[Converted]:
    """Convert several files in ONE converter run (start-up is the cost). ``files``: (bytes, suffix
    such as '.doc'); ``target``: a key of FILTERS. InputError when any file does not convert."""
    if not files:
        return []
    for data, _suffix in files:
        if len(data) > MAX_INPUT_BYTES:
            raise InputError(
                f"旧格式文件过大（{len(data) / 1048576:.1f} MB，转换上限 {MAX_INPUT_BYTES // 1048576} MB），"
                "请另存为 .docx/.xlsx 后再导入"
            )
    command = converter_command()
    limit = TIMEOUT_SECONDS if timeout is None else timeout
    work = Path(tempfile.mkdtemp(prefix="jixiao-convert-"))
    try:
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        src, out, tmp = work / "in", work / "out", work / "tmp"
        for d in (src, out, tmp):
            d.mkdir()
        inputs = []
        for i, (data, suffix) in enumerate(files):
            path = src / f"f{i}{suffix}"
            path.write_bytes(data)
            inputs.append(path)
        argv = fenced([
            command, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
            "--nologo", "--nodefault", "--nolockcheck", "--convert-to", FILTERS[target], "--outdir", str(out),
            *map(str, inputs),
        ], limit)
        env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(work), "TMPDIR": str(tmp),
               "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "SAL_USE_VCLPLUGIN": "svp"}
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=env, cwd=work, start_new_session=True)
        try:
            proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise InputError(
                f"旧格式文件转换超时（超过 {limit:g} 秒），已中止；文件可能已损坏，请另存为 .docx/.xlsx 后再导入"
            ) from None
        finally:
            _kill_group(proc)  # whatever it left behind in its group
        seconds = time.monotonic() - started
        results = []
        for path in inputs:
            made = out / f"{path.stem}.{target}"
            if not made.is_file() or made.stat().st_size == 0:
                why = "内存不足或" if proc.returncode not in (0, None) else ""
                raise InputError(f"旧格式文件无法转换（LibreOffice {why}未能打开该文件），文件可能已损坏")
            results.append(Converted(made.read_bytes(), seconds))
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def convert(data: bytes, suffix: str, target: str, *, timeout: float | None = None) -> Converted:
    return convert_many([(data, suffix)], target, timeout=timeout)[0]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not wait
        pass
