"""Dotted paths into JSON documents ('basic.sangong.final', 'overall.indicators.0.children.1'):
get, set, flatten, diff and a three-way merge. The form's input names are these paths,
and so are the core findings' locations."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

_MISSING = object()


def _key(container: Any, part: str) -> Any:
    return int(part) if isinstance(container, list) else part


def get_path(doc: Any, path: str) -> Any:
    node = doc
    for part in path.split("."):
        node = node[_key(node, part)]
    return node


def set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    """Set a value, creating dicts on the way and growing lists with empty dicts."""
    parts = path.split(".")
    node: Any = doc
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt_is_index = not last and parts[i + 1].isdigit()
        if isinstance(node, list):
            idx = int(part)
            if idx > 10_000:
                raise IndexError(path)
            while len(node) <= idx:
                node.append({})
            if last:
                node[idx] = value
            else:
                if not isinstance(node[idx], dict | list):
                    node[idx] = [] if nxt_is_index else {}
                node = node[idx]
        else:
            if not isinstance(node, dict):
                raise TypeError(path)
            if last:
                node[part] = value
            else:
                if not isinstance(node.get(part), dict | list):
                    node[part] = [] if nxt_is_index else {}
                node = node[part]


def resize_list(doc: dict[str, Any], path: str, length: int) -> None:
    try:
        node = get_path(doc, path)
    except (KeyError, IndexError, TypeError):
        node = None
    if not isinstance(node, list):
        set_path(doc, path, [])
        node = get_path(doc, path)
    del node[length:]
    while len(node) < length:
        node.append({})


def delete_path(doc: dict[str, Any], path: str) -> None:
    parent, _, last = path.rpartition(".")
    container = get_path(doc, parent) if parent else doc
    del container[_key(container, last)]


def flatten(doc: Any, prefix: str = "") -> dict[str, Any]:
    """Leaves by path. Lists also record their length under 'path.#', so the merge sees
    rows added or removed."""
    out: dict[str, Any] = {}
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == "parsed":  # derived from 'raw', never compared
                continue
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(doc, list):
        out[f"{prefix}#"] = len(doc)
        for i, v in enumerate(doc):
            out.update(flatten(v, f"{prefix}{i}."))
    else:
        out[prefix[:-1]] = doc
    return out


def _unflatten_into(doc: dict[str, Any], flat: dict[str, Any]) -> dict[str, Any]:
    lengths = {k[:-2]: v for k, v in flat.items() if k.endswith(".#") or k == "#"}
    for path in sorted(lengths, key=lambda p: p.count(".")):
        resize_list(doc, path, lengths[path])
    for path, value in flat.items():
        if path.endswith(".#"):
            continue
        set_path(doc, path, value)
    return doc


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    return _unflatten_into({}, flat)


@dataclass(frozen=True)
class Change:
    path: str
    before: Any
    after: Any


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """Leaves that differ between two documents (list lengths left out: the rows show it)."""
    fa, fb = flatten(a), flatten(b)
    changes = []
    for path in _ordered(fa, fb):
        if path.endswith("#"):
            continue
        va, vb = fa.get(path, _MISSING), fb.get(path, _MISSING)
        if _norm(va) != _norm(vb):
            changes.append(Change(path, None if va is _MISSING else va, None if vb is _MISSING else vb))
    return changes


def _norm(v: Any) -> Any:
    # A blank cell and a missing one read the same on the form.
    return None if v is _MISSING or v == "" else v


def _ordered(*flats: dict[str, Any]) -> list[str]:
    seen: dict[str, None] = {}
    for flat in flats:
        for k in flat:
            seen.setdefault(k, None)
    return list(seen)


def _list_roots(flat_base: dict, flat_x: dict) -> set[str]:
    """Lists whose length changed between base and x."""
    roots = set()
    for k in set(flat_base) | set(flat_x):
        if k.endswith("#") and flat_base.get(k) != flat_x.get(k):
            roots.add(k[:-2] if k.endswith(".#") else "")
    return roots


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root + ".") or root == ""


@dataclass(frozen=True)
class Conflict:
    path: str  # a leaf, or a whole list when both sides changed its rows
    base: Any
    mine: Any
    theirs: Any


def merge(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> tuple[dict[str, Any], list[Conflict]]:
    """Three-way merge at the level of cells. A list whose rows were added or removed on one
    side and touched on the other is one conflict as a whole (row indices would not line up).
    Conflicts keep 'theirs' in the result until the user picks."""
    fb, fm, ft = flatten(base), flatten(mine), flatten(theirs)
    result = copy.deepcopy(theirs)
    conflicts: list[Conflict] = []
    mine_lists, their_lists = _list_roots(fb, fm), _list_roots(fb, ft)
    changed_mine = {p for p in set(fb) | set(fm) if _norm(fb.get(p, _MISSING)) != _norm(fm.get(p, _MISSING))}
    changed_theirs = {p for p in set(fb) | set(ft) if _norm(fb.get(p, _MISSING)) != _norm(ft.get(p, _MISSING))}
    whole: set[str] = set()
    for root in mine_lists:
        if any(_under(p, root) for p in changed_theirs):
            whole.add(root)
    for root in their_lists:
        if any(_under(p, root) for p in changed_mine):
            whole.add(root)
    # Keep only the outermost conflicting lists.
    whole = {r for r in whole if not any(o != r and _under(r, o) for o in whole)}
    for root in sorted(whole):
        conflicts.append(Conflict(root, _get(base, root), _get(mine, root), _get(theirs, root)))
    for root in sorted(mine_lists - whole):
        if not any(_under(root, w) for w in whole):
            _put(result, root, copy.deepcopy(_get(mine, root)))
    for path in _ordered(fm, fb):
        if path not in changed_mine or path.endswith("#"):
            continue
        if any(_under(path, w) for w in whole) or any(_under(path, r) for r in mine_lists):
            continue
        vm = fm.get(path, _MISSING)
        if path in changed_theirs and _norm(ft.get(path, _MISSING)) != _norm(vm):
            conflicts.append(Conflict(path, fb.get(path), None if vm is _MISSING else vm, ft.get(path)))
            continue
        if vm is _MISSING:
            continue
        set_path(result, path, vm)
    return result, conflicts


def _get(doc: Any, path: str) -> Any:
    if path == "":
        return doc
    try:
        return get_path(doc, path)
    except (KeyError, IndexError, TypeError):
        return None


def _put(doc: dict[str, Any], path: str, value: Any) -> None:
    set_path(doc, path, value)


def resolve(merged: dict[str, Any], conflicts: list[Conflict], choices: dict[str, str]) -> dict[str, Any]:
    """Apply the user's pick ('mine' or 'theirs') for each conflict."""
    out = copy.deepcopy(merged)
    for c in conflicts:
        if choices.get(c.path) == "mine":
            if c.path == "":
                out = copy.deepcopy(c.mine)
            else:
                set_path(out, c.path, copy.deepcopy(c.mine))
    return out
