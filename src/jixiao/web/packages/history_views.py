"""History: every revision with who, when and from what; a diff between any two; restore."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .access import _get_package_for_user, can_edit, require
from .actions import ActionError, StaleRevision, do_restore
from .docpaths import diff
from .labels import describe
from .models import Revision
from .sheet_views import _show, sheet_tabs


def history(request, package_id: int):
    pkg = _get_package_for_user(request, package_id)
    revisions = list(pkg.revisions.select_related("author").defer("document"))
    return render(request, "packages/history.html", {
        "pkg": pkg, "revisions": revisions, "can_restore": can_edit(request.user, pkg),
        "tabs": sheet_tabs(pkg, pkg.head.document), "tab": "history",
        "transitions": pkg.transitions.select_related("actor"),
    })


def _rev(pkg, value, default: int) -> Revision:
    try:
        number = int(value) if value not in (None, "") else default
        return pkg.revisions.select_related("author").get(number=number)
    except (ValueError, Revision.DoesNotExist) as exc:
        raise Http404("没有这个版本") from exc


def compare(request, package_id: int):
    pkg = _get_package_for_user(request, package_id)
    b = _rev(pkg, request.GET.get("b"), pkg.head_number)
    a = _rev(pkg, request.GET.get("a"), max(b.number - 1, 1))
    form = pkg.form
    changes, same_number = [], 0
    for ch in diff(a.document, b.document):
        if ch.path.endswith(".parsed"):
            continue
        if _same_number(ch.before, ch.after):  # “0” and “0.00”: written differently, the same figure
            same_number += 1
            continue
        changes.append({"path": ch.path, "label": describe(ch.path, b.document if ch.after is not None else a.document,
                                                           form),
                        "before": _show(ch.before), "after": _show(ch.after)})
    expl = [
        {"key": k, "label": _finding_label(k, b.document, form, pkg.rule_pack),
         "before": a.explanations.get(k, ""), "after": b.explanations.get(k, "")}
        for k in sorted(set(a.explanations) | set(b.explanations))
        if a.explanations.get(k, "") != b.explanations.get(k, "")
    ]
    return render(request, "packages/compare.html", {
        "pkg": pkg, "a": a, "b": b, "changes": changes, "explanation_changes": expl, "same_number": same_number,
        "numbers": list(pkg.revisions.values_list("number", flat=True)),
        "tabs": sheet_tabs(pkg, pkg.head.document), "tab": "history",
    })


def _same_number(before, after) -> bool:
    if not isinstance(before, str | int | float) or not isinstance(after, str | int | float):
        return False
    try:
        x, y = Decimal(str(before).strip()), Decimal(str(after).strip())
    except InvalidOperation:
        return False
    return x.is_finite() and y.is_finite() and x == y


def _finding_label(key: str, document: dict, form: str, pack: str) -> str:
    """An explained finding (its key is “rule|path|…”) as the rule's title and the cell's name."""
    from jixiao.rules import rule_title

    rule, _, rest = key.partition("|")
    path = rest.split("|", 1)[0]
    where = describe(path, document, form) if path else "整份材料"
    return f"{where}：{rule_title(rule, pack)}"


@require_POST
def restore(request, package_id: int, number: int):
    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    old = _rev(pkg, number, number)
    try:
        base = int(request.POST.get("base_revision", ""))
    except ValueError:
        base = None
    try:
        rev = do_restore(package_id=pkg.pk, number=old.number, actor=request.user, base_number=base, request=request)
    except StaleRevision as exc:
        messages.error(request, str(exc))
        return redirect("packages:history", pkg.pk)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("packages:history", pkg.pk)
    messages.success(request, f"已将第{old.number}版恢复为新的第{rev.number}版；原有各版本均保留。")
    return redirect("packages:history", pkg.pk)
