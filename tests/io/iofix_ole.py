"""OLE2 compound files built by code, for the old-format hostile tests (no office suite needed).

A minimal version-3 writer: 512-byte sectors, FAT first, then the directory, then the
streams, each stream padded to the mini-stream cutoff so that everything lives in regular
sectors. Storages hold their children as a right-sibling chain (readers do not balance).
"""

from __future__ import annotations

import struct

SECTOR = 512
END, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
CUTOFF = 4096


def _entry(name: str, kind: int, left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start=END, size=0) -> bytes:
    raw = (name.encode("utf-16-le") + b"\0\0") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), kind, 1) + struct.pack("<III", left, right, child)
            + bytes(16) + struct.pack("<I", 0) + bytes(16) + struct.pack("<IQ", start, size))


def cfb(tree: dict, sizes: dict[str, int] | None = None) -> bytes:
    """``tree``: name -> bytes (a stream) or dict (a storage). ``sizes``: declared size overrides by name."""
    entries: list[list] = []  # [name, kind, data, children]

    def add(name, node) -> int:
        idx = len(entries)
        if isinstance(node, dict):
            entries.append([name, 1, None, []])
            entries[idx][3] = [add(k, v) for k, v in node.items()]
        else:
            entries.append([name, 2, node.ljust(CUTOFF, b"\0") if len(node) < CUTOFF else node, []])
        return idx

    entries.append(["Root Entry", 5, None, []])
    entries[0][3] = [add(k, v) for k, v in tree.items()]
    n_dir = -(-len(entries) * 128 // SECTOR)
    stream_sectors = sum(-(-len(e[2]) // SECTOR) for e in entries if e[1] == 2)
    n_fat = 1
    while n_fat * (SECTOR // 4) < n_fat + n_dir + stream_sectors:
        n_fat += 1
    fat = [FATSECT] * n_fat
    dir_start = len(fat)
    fat += [*range(dir_start + 1, dir_start + n_dir), END]
    starts = {}
    body = b""
    for i, e in enumerate(entries):
        if e[1] != 2:
            continue
        count = -(-len(e[2]) // SECTOR)
        starts[i] = len(fat)
        fat += [*range(len(fat) + 1, len(fat) + count), END]
        body += e[2].ljust(count * SECTOR, b"\0")
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    directory = b""
    for i, (name, kind, data, children) in enumerate(entries):
        child = children[0] if children else NOSTREAM
        right = NOSTREAM
        for parent in entries:  # the next sibling in the parent's chain
            if i in parent[3] and parent[3].index(i) + 1 < len(parent[3]):
                right = parent[3][parent[3].index(i) + 1]
        size = (sizes or {}).get(name, len(data)) if kind == 2 else 0
        directory += _entry(name, kind, right=right, child=child, start=starts.get(i, END), size=size)
    directory = directory.ljust(n_dir * SECTOR, b"\0")
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, CUTOFF, END, 0, END, 0)
              + struct.pack("<109I", *difat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + directory + body


def fib(flags: int = 0) -> bytes:
    """The start of a Word 97 FIB: wIdent, nFib, and the flags word at 0x0A."""
    return struct.pack("<HHHHHH", 0xA5EC, 0xC1, 0, 0x0409, 0, flags).ljust(1024, b"\0")


def biff(*records: tuple[int, bytes]) -> bytes:
    """A BIFF8 workbook-globals substream: BOF, the records given, EOF."""
    out = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
    for rtype, body in records:
        out += struct.pack("<HH", rtype, len(body)) + body
    return out + struct.pack("<HH", 0x000A, 0)


def boundsheet(name: str, kind: int) -> tuple[int, bytes]:
    return 0x0085, struct.pack("<IBB", 0, 0, kind) + bytes([len(name), 0]) + name.encode("latin-1")


def word_doc(flags: int = 0, extra: dict | None = None, sizes: dict | None = None) -> bytes:
    return cfb({"WordDocument": fib(flags), "1Table": b"\0" * 600, **(extra or {})}, sizes)


def excel_xls(*records, extra: dict | None = None) -> bytes:
    return cfb({"Workbook": biff(*records), **(extra or {})})
