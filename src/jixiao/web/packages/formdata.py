"""From a posted sheet back to a document: the sheet's fields over the base revision, list
lengths from the hidden _len.* fields, then the add/remove operation of a button."""

from __future__ import annotations

import re
from typing import Any

from .checking import level1_skeleton, project_skeleton, report_skeleton
from .docpaths import delete_path, get_path, resize_list, set_path

SHEET_PREFIX = {"basic": "basic", "overall": "overall", "report": "report"}
# Text fields the model requires as strings: an emptied cell stays "" rather than blank.
_KEEP_EMPTY = ("name", "label", "heading", "body")
_PATH_RE = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)*$")


def json_copy(value: Any) -> Any:
    """A copy of a JSON document (dicts, lists and scalars only): what copy.deepcopy gives, several
    times faster, as every save copies the whole package before applying the posted cells."""
    if isinstance(value, dict):
        return {k: json_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_copy(v) for v in value]
    return value


def copy_for_sheet(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A copy of the document that a sheet's posted cells may change: the part under ``prefix``
    (a top-level key, or ``projects.N``) copied deeply, the containers above it anew, the rest
    shared with ``doc``. A save changes one sheet, and copying the other sheets would cost more
    than the sheet itself (apply_form writes only under its own prefix: _owned)."""
    out = dict(doc)
    head, _, rest = prefix.partition(".")
    if head not in doc:
        return out
    items = doc[head]
    if rest and isinstance(items, list):
        out[head] = [json_copy(v) if str(i) == rest else v for i, v in enumerate(items)]
    else:
        out[head] = json_copy(items)
    return out


class FormDataError(ValueError):
    """A posted field that is not a path of this sheet (tampering or a stale page)."""


def sheet_prefix(sheet_key: str) -> str:
    if sheet_key.startswith("project-"):
        return f"projects.{int(sheet_key.split('-', 1)[1])}"
    return SHEET_PREFIX[sheet_key]


def _owned(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + ".")


def apply_form(base: dict[str, Any], post, sheet_key: str) -> dict[str, Any]:
    """The document the user sees: base revision with this sheet's posted fields."""
    prefix = sheet_prefix(sheet_key)
    doc = copy_for_sheet(base, prefix)
    lengths = []
    values = []
    # Tick cells (偏差原因 经费保障 …) are checkboxes named by their list's path, one per option; a
    # hidden _list.<path> says the list is on the sheet, so unticking every box saves an empty list.
    lists = {key[6:] for key in post if key.startswith("_list.")}
    for path in lists:
        if not _PATH_RE.match(path) or not _owned(path, prefix):
            raise FormDataError(path)
    for key in post:
        if key in ("csrfmiddlewaretoken", "op", "base_revision", "save_key", "next") or key.startswith("merge."):
            continue
        if key.startswith("_list.") or key in lists:
            continue
        if key.startswith("_len."):
            path = key[5:]
            if not _PATH_RE.match(path) or not _owned(path, prefix):
                raise FormDataError(path)
            try:
                n = int(post.get(key))
            except (TypeError, ValueError) as exc:
                raise FormDataError(key) from exc
            if not 0 <= n <= 2000:
                raise FormDataError(key)
            lengths.append((path, n))
            continue
        if not _PATH_RE.match(key) or not _owned(key, prefix):
            raise FormDataError(key)
        values.append((key, post.get(key)))
    for path, n in sorted(lengths, key=lambda x: x[0].count(".")):
        resize_list(doc, path, n)
    for path in sorted(lists):
        getlist = getattr(post, "getlist", None)
        ticked = getlist(path) if getlist is not None else [post[path]] if path in post else []
        try:
            set_path(doc, path, list(dict.fromkeys(str(v) for v in ticked if str(v).strip())))
        except (TypeError, IndexError, KeyError) as exc:
            raise FormDataError(path) from exc
    for path, raw in values:
        value = raw.replace("\r\n", "\n") if isinstance(raw, str) else raw
        if value is not None and value.strip() == "" and not path.endswith(_KEEP_EMPTY):
            value = None
        try:
            set_path(doc, path, value)
        except (TypeError, IndexError) as exc:
            raise FormDataError(path) from exc
    return doc


def apply_op(doc: dict[str, Any], op: str, sheet_key: str, *, form_name: str, rule_pack: str) -> dict[str, Any]:
    """'add:<list path>' appends a fresh row; 'del:<item path>' removes one."""
    kind, _, path = op.partition(":")
    prefix = sheet_prefix(sheet_key)
    if kind not in ("add", "del") or not _PATH_RE.match(path) or not _owned(path, prefix):
        raise FormDataError(op)
    doc = json_copy(doc)
    if kind == "del":
        try:
            delete_path(doc, path)
        except (KeyError, IndexError, TypeError) as exc:
            raise FormDataError(op) from exc
        return doc
    try:
        target = get_path(doc, path)
    except (KeyError, IndexError, TypeError):
        target = None
    if target is None:
        set_path(doc, path, [])
        target = get_path(doc, path)
    if not isinstance(target, list):
        raise FormDataError(op)
    target.append(new_row(path, form_name=form_name, rule_pack=rule_pack))
    return doc


def new_row(list_path: str, *, form_name: str, rule_pack: str) -> Any:
    last = list_path.rsplit(".", 1)[-1]
    if last in ("district_special_items", "transfer_items"):
        return {"name": ""}
    if last in ("buildings", "tasks"):  # a 楼堂馆所 row; a 年度主要任务 row
        return {}
    if last == "projects":
        return project_skeleton(form_name, rule_pack)
    if last == "children":
        return {"label": "", "indicators": [{}]}
    if last == "indicators":
        # 'x.indicators' is the 一级 list of a table; '...children.N.indicators' the 三级 list.
        if ".children." in list_path:
            return {}
        return {"label": "", "children": [{"label": "", "indicators": [{}]}]}
    raise FormDataError(list_path)


def normalise_report(doc: dict[str, Any], form_name: str) -> dict[str, Any]:
    """Give the report page the form's sections in order: those written, then the missing
    ones with their standard headings. Extra or duplicated sections are kept after them."""
    doc = json_copy(doc)
    report = doc.get("report") or {}
    sections = [s for s in report.get("sections") or [] if isinstance(s, dict)]
    by_number: dict[int, dict] = {}
    extra = []
    for s in sections:
        n = s.get("number")
        if isinstance(n, int) and n not in by_number:
            by_number[n] = s
        else:
            extra.append(s)
    ordered = []
    for default in report_skeleton(form_name):
        ordered.append(by_number.pop(default["number"], default))
    ordered += list(by_number.values()) + extra
    report["sections"] = ordered
    doc["report"] = report
    return doc


__all__ = ["FormDataError", "apply_form", "apply_op", "level1_skeleton", "new_row", "normalise_report", "sheet_prefix"]
