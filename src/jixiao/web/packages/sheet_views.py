"""The sheets: view, edit, recompute (HTMX), save with the optimistic version check, merge."""

from __future__ import annotations

import json
import re
import uuid

from django.contrib import messages
from django.db import DatabaseError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jixiao.forms import load_form, part_name

from .access import _get_package_for_user, can_edit, require
from .actions import ActionError, InvalidDocument, StaleRevision, do_save
from .annotate import annotate, finding_views
from .cells import Sheet, render_outputs, render_sheet
from .checking import Evaluation, cached_evaluation, canonical, evaluate, evaluate_revision
from .cycle_context import cycle_context_for
from .docpaths import merge, resolve
from .formdata import FormDataError, apply_form, apply_op, normalise_report
from .labels import describe
from .models import Package, Revision
from .sheets import basic_sheet, overall_sheet, project_sheet, report_sheet

SHEET_KEY = re.compile(r"^(basic|overall|report|project-\d{1,3})$")
SAVE_KEY = re.compile(r"^[0-9A-Za-z_-]{8,64}$")


def new_save_key() -> str:
    """A fresh idempotency key for one rendered form (see actions.do_save)."""
    return uuid.uuid4().hex


def posted_save_key(request) -> str | None:
    """The form's idempotency key; None when absent (a script may omit it); a malformed one is
    a bad request (FormDataError)."""
    key = request.POST.get("save_key", "").strip()
    if not key:
        return None
    if not SAVE_KEY.match(key):
        raise FormDataError("save_key")
    return key


def repeated_message(rev: Revision) -> str:
    return f"此次保存已存入（第{rev.number}版），未重复保存。"


def sheet_tabs(pkg: Package, doc: dict) -> list[tuple[str, str]]:
    """(key, label) of the package's sheets in the order of the paper package: the parts the
    campaign's form has (a form of project tables only has no 基础数据表, 整体表 or report tab)."""
    parts = load_form(pkg.form)["parts"]
    tabs = [(key, parts[key]["name"]) for key in ("basic", "overall") if key in parts]
    for i, p in enumerate(doc.get("projects") or []):
        name = str((p or {}).get("project_name") or "").strip()
        # A blank or “/” name (an unfilled template table) is shown by its number.
        tabs.append((f"project-{i}", f"项目表：{name}" if name.strip("/ ") else f"项目表（第{i + 1}张）"))
    if "report" in parts:
        tabs.append(("report", parts["report"]["name"]))
    return tabs


def build_sheet(pkg: Package, doc: dict, key: str, *, editable: bool, url: str) -> Sheet:
    form = pkg.form
    if key == "basic":
        return basic_sheet(doc, form_name=form, editable=editable, url=url)
    if key == "overall":
        return overall_sheet(doc, form_name=form, editable=editable, url=url)
    if key == "report":
        return report_sheet(doc, form_name=form, editable=editable, url=url)
    return project_sheet(doc, int(key.split("-")[1]), form_name=form, editable=editable, url=url)


def _check_key(pkg: Package, doc: dict, key: str) -> None:
    from django.http import Http404

    if not SHEET_KEY.match(key):
        raise Http404("没有这张表")
    if not key.startswith("project-") and key not in load_form(pkg.form)["parts"]:
        raise Http404("本任务的表式没有这张表")
    if key.startswith("project-") and int(key.split("-")[1]) >= len(doc.get("projects") or []):
        raise Http404(f"没有这张{part_name('project', pkg.form)}")


def _doc_for(pkg: Package, rev: Revision, key: str) -> dict:
    doc = rev.document
    return normalise_report(doc, pkg.form) if key == "report" else doc


def sheet_context(request, pkg: Package, doc: dict, key: str, ev: Evaluation, *, editable: bool,
                  base_number: int, explanations: dict, unsaved: bool = False) -> dict:
    url = reverse("packages:sheet", args=[pkg.pk, key])
    sheet = build_sheet(pkg, doc, key, editable=editable, url=url)
    views = finding_views(ev, explanations)
    annotate(sheet, ev, views, pkg.form)
    ctx = {
        "pkg": pkg, "key": key, "sheet": sheet, "sheet_html": render_sheet(sheet), "views": views,
        "evaluation": ev, "editable": editable, "base_number": base_number, "unsaved": unsaved,
        "save_key": new_save_key(),
        "tabs": sheet_tabs(pkg, doc), "tab": key,
        "recompute_url": reverse("packages:recompute", args=[pkg.pk, key]),
        "overall_score": next((t for t in ev.result.scores if t.index is None), None) if ev.result else None,
        "project_index": int(key.split("-")[1]) if key.startswith("project-") else None,
        "project_part": part_name("project", pkg.form),
    }
    if ctx["overall_score"] is None and ctx["project_index"] is not None and ev.result:
        # A form without an 整体表: the summary shows this project table's own score instead.
        ctx["table_score"] = next((t for t in ev.result.scores if t.index == ctx["project_index"]), None)
    return ctx


def sheet(request, package_id: int, key: str):
    pkg = _get_package_for_user(request, package_id)
    head = pkg.head
    _check_key(pkg, head.document, key)
    editable = can_edit(request.user, pkg)
    if request.method == "POST":
        require(request, editable, "无权修改此材料", obj=pkg)
        return _post_sheet(request, pkg, key)
    doc = _doc_for(pkg, head, key)
    ev = evaluate_revision(head, pkg.rule_pack, doc, variant="report" if key == "report" else "",
                           cycle=cycle_context_for(pkg))
    ctx = sheet_context(request, pkg, doc, key, ev, editable=editable, base_number=head.number,
                        explanations=head.explanations)
    return render(request, "packages/sheet.html", ctx)


def _posted_doc(request, pkg: Package, key: str) -> tuple[Revision, dict]:
    try:
        base_number = int(request.POST.get("base_revision", ""))
        # the usual case, a save on the latest revision: the head already loaded, not read again
        base = pkg.head if pkg.head is not None and pkg.head.number == base_number else \
            pkg.revisions.get(number=base_number)
    except (ValueError, Revision.DoesNotExist) as exc:
        raise FormDataError("base_revision") from exc
    return base, apply_form(_doc_for(pkg, base, key), request.POST, key)


def _post_sheet(request, pkg: Package, key: str):
    try:
        base, doc = _posted_doc(request, pkg, key)
        save_key = posted_save_key(request)
        op = request.POST.get("op")
        if op:
            doc = apply_op(doc, op, key, form_name=pkg.form, rule_pack=pkg.rule_pack)
    except FormDataError:
        return HttpResponseBadRequest("表单内容无效，请刷新页面后重试。")
    cycle = cycle_context_for(pkg)
    base_ev = cached_evaluation(base, pkg.rule_pack, cycle)
    if op:
        # Adding or removing a row only changes the page; nothing is stored until 保存.
        ev = evaluate(doc, pkg.rule_pack, base_ev, cycle=cycle)
        ctx = sheet_context(request, pkg, doc, key, ev, editable=True, base_number=base.number,
                            explanations=base.explanations, unsaved=True)
        return render(request, "packages/sheet.html", ctx)
    try:
        rev = do_save(package_id=pkg.pk, actor=request.user, document=doc, base_number=base.number, request=request,
                      detail={"sheet": key}, save_key=save_key, base_evaluation=base_ev, cycle=cycle,
                      package=pkg)
    except StaleRevision as exc:
        return conflict_page(request, pkg, base, doc, exc)
    except DatabaseError as exc:  # disk full, read-only, unreachable: say so, keep what was typed on the page
        from ..errors import not_saved_message

        request.session.modified = False  # saving the session would fail the same way
        messages.error(request, not_saved_message(exc))
        ev = evaluate(doc, pkg.rule_pack, cycle=cycle)
        ctx = sheet_context(request, pkg, doc, key, ev, editable=True, base_number=base.number,
                            explanations=base.explanations, unsaved=True)
        return render(request, "packages/sheet.html", ctx, status=503)
    except InvalidDocument as exc:
        messages.error(request, str(exc))
        ctx = sheet_context(request, pkg, doc, key, exc.evaluation, editable=True, base_number=base.number,
                            explanations=base.explanations, unsaved=True)
        return render(request, "packages/sheet.html", ctx, status=422)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("packages:sheet", pkg.pk, key)
    if rev.repeated:  # a retry of a save that was stored: answered as that save was, nothing written
        messages.success(request, repeated_message(rev))
        return redirect("packages:sheet", pkg.pk, key)
    messages.success(request, f"已保存为第{rev.number}版（错误{rev.errors}条、警告{rev.warnings}条、提示{rev.infos}条）。")
    return redirect("packages:sheet", pkg.pk, key)


@require_POST
def recompute(request, package_id: int, key: str):
    """HTMX: what the typed values give, computed by the core checker; swapped out of band."""
    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    _check_key(pkg, pkg.head.document, key)
    try:
        base, doc = _posted_doc(request, pkg, key)
    except FormDataError:
        return HttpResponseBadRequest("表单内容无效，请刷新页面后重试。")
    cycle = cycle_context_for(pkg)
    ev = evaluate(doc, pkg.rule_pack, cached_evaluation(base, pkg.rule_pack, cycle), cycle=cycle)
    ctx = sheet_context(request, pkg, doc, key, ev, editable=True, base_number=base.number,
                        explanations=base.explanations)
    ctx["outputs"] = render_outputs(ctx["sheet"])
    return render(request, "packages/_recompute.html", ctx)


def _canonical_or(doc: dict, rule_pack: str) -> dict:
    ev = evaluate(doc, rule_pack)
    return canonical(ev.package) if ev.ok else doc


def conflict_page(request, pkg: Package, base: Revision, mine: dict, exc: StaleRevision, status: int = 409):
    theirs = exc.current
    mine = _canonical_or(mine, pkg.rule_pack)
    merged, conflicts = merge(base.document, mine, theirs.document)
    form = pkg.form
    rows = [
        {"path": c.path, "label": describe(c.path, theirs.document, form) if c.path else "整份材料",
         "base": _show(c.base), "mine": _show(c.mine), "theirs": _show(c.theirs)}
        for c in conflicts
    ]
    from .docpaths import diff

    auto = [
        {"label": describe(ch.path, mine, form), "before": _show(ch.before), "after": _show(ch.after)}
        for ch in diff(theirs.document, resolve(merged, conflicts, {}))
    ]
    messages.error(request, str(exc))
    ctx = {
        "pkg": pkg, "base": base, "theirs": theirs, "conflicts": rows, "auto": auto, "save_key": new_save_key(),
        "mine_json": json.dumps(mine, ensure_ascii=False),
        "tabs": sheet_tabs(pkg, theirs.document), "tab": None,
    }
    return render(request, "packages/conflict.html", ctx, status=status)


def _show(value) -> str:
    if value is None or value == "":
        return "（空白）"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:300]
    return str(value)


@require_POST
def merge_save(request, package_id: int):
    """Save the user's edit merged over the newer revision, with their pick for each conflict."""
    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    try:
        base = pkg.revisions.get(number=int(request.POST.get("base_revision", "")))
        mine = json.loads(request.POST.get("mine", ""))
        if not isinstance(mine, dict):
            raise ValueError
        save_key = posted_save_key(request)
    except (ValueError, Revision.DoesNotExist, FormDataError):
        return HttpResponseBadRequest("合并内容无效，请重新编辑。")
    if save_key:
        done = pkg.revisions.filter(save_key=save_key, author=request.user).first()
        if done is not None:  # a retried merge: the head has moved on to the merge itself
            messages.success(request, repeated_message(done))
            return redirect("packages:history", pkg.pk)
    theirs = pkg.head
    merged, conflicts = merge(base.document, mine, theirs.document)
    choices = {c.path: request.POST.get(f"choice.{c.path}") for c in conflicts}
    if any(v not in ("mine", "theirs") for v in choices.values()):
        exc = StaleRevision(theirs, base.number)
        return conflict_page(request, pkg, base, mine, exc)
    doc = resolve(merged, conflicts, choices)
    try:
        rev = do_save(package_id=pkg.pk, actor=request.user, document=doc, base_number=theirs.number, source="merge",
                      note=f"合并第{base.number}版上的修改与第{theirs.number}版", request=request, save_key=save_key)
    except StaleRevision as exc:
        return conflict_page(request, pkg, base, mine, exc)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("packages:overview", pkg.pk)
    if rev.repeated:
        messages.success(request, repeated_message(rev))
        return redirect("packages:history", pkg.pk)
    messages.success(request, f"已合并保存为第{rev.number}版。")
    return redirect("packages:history", pkg.pk)


def _structural_save(request, pkg: Package, doc: dict, note: str, redirect_to: tuple):
    try:
        base = int(request.POST.get("base_revision", ""))
    except ValueError:
        return HttpResponseBadRequest("表单内容无效，请刷新页面后重试。")
    try:
        rev = do_save(package_id=pkg.pk, actor=request.user, document=doc, base_number=base, note=note,
                      request=request)
    except StaleRevision as exc:
        messages.error(request, str(exc))
        return redirect("packages:overview", pkg.pk)
    except ActionError as exc:
        messages.error(request, str(exc))
        return redirect("packages:overview", pkg.pk)
    messages.success(request, f"{note}，已保存为第{rev.number}版。")
    return redirect(*redirect_to)


@require_POST
def add_project(request, package_id: int):
    """A new 项目支出绩效自评表 (one per first-level project), saved as a new revision."""
    from .formdata import new_row

    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    doc = json.loads(json.dumps(pkg.head.document))
    doc.setdefault("projects", []).append(
        new_row("projects", form_name=pkg.form, rule_pack=pkg.rule_pack))
    n = len(doc["projects"]) - 1
    return _structural_save(request, pkg, doc, f"增加第{n + 1}张{part_name('project', pkg.form)}",
                            ("packages:sheet", pkg.pk, f"project-{n}"))


@require_POST
def delete_project(request, package_id: int, index: int):
    pkg = _get_package_for_user(request, package_id)
    require(request, can_edit(request.user, pkg), "无权修改此材料", obj=pkg)
    doc = json.loads(json.dumps(pkg.head.document))
    projects = doc.get("projects") or []
    if not 0 <= index < len(projects):
        from django.http import Http404

        raise Http404(f"没有这张{part_name('project', pkg.form)}")
    name = (projects[index] or {}).get("project_name") or f"第{index + 1}张"
    del projects[index]
    return _structural_save(request, pkg, doc, f"删除{part_name('project', pkg.form)}（{name}）", ("packages:overview", pkg.pk))
