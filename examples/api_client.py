"""A short client of the jixiao API (docs/api.md): check a Word file, then upload it as a new
revision of the caller's package, handling the version check (409) and retries (save_key).

    JIXIAO_TOKEN=jx_… python examples/api_client.py http://127.0.0.1:8000 材料.docx [--package ID]
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

import httpx


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="检查一个 Word 文件，并把它上传为材料的新版本")
    ap.add_argument("base", help="系统地址，例如 http://127.0.0.1:8000")
    ap.add_argument("file", type=Path, help="Word/Excel/zip/JSON 文件")
    ap.add_argument("--package", type=int, help="上传到哪份材料（默认：可见的第一份）")
    args = ap.parse_args(argv)
    token = os.environ["JIXIAO_TOKEN"]
    api = httpx.Client(base_url=f"{args.base.rstrip('/')}/api/v1", timeout=120,
                       headers={"Authorization": f"Bearer {token}"})

    me = api.get("/me").raise_for_status().json()
    print(f"令牌“{me['token_name']}”（{me['token_scope']}）属于 {me['name']}，{me['role_label']}，{me['unit'] or me['bureau']}")

    # 1. Check the file; nothing is stored.
    with args.file.open("rb") as fh:
        resp = api.post("/check/file", files={"file": (args.file.name, fh)})
    if resp.status_code != 200:
        return fail(resp)
    report = resp.json()
    s = report["summary"]
    print(f"检查 {args.file.name}：{report['unit_name']} {report['fiscal_year']}年度，"
          f"错误{s['error']}条、警告{s['warning']}条、提示{s['info']}条")
    for f in [f for f in report["findings"] if f["severity"] == "error"][:3]:
        print(f"  [{f['rule']}] {f['message']}")
    overall = next((t for t in report["scores"] if t["index"] is None), None)
    if overall:
        print(f"  自评总分 {overall['self_total']}，按规则核定 {overall['computed_total']}")

    # 2. Upload it as a new revision, based on the revision we read.
    package_id = args.package or api.get("/packages").raise_for_status().json()[0]["id"]
    save_key = uuid.uuid4().hex  # the same key on a retry: stored once
    for _attempt in range(2):
        head = api.get(f"/packages/{package_id}").raise_for_status().json()["head_revision"]
        with args.file.open("rb") as fh:
            resp = api.post(f"/packages/{package_id}/revisions/file", files={"file": (args.file.name, fh)},
                            data={"base_revision": str(head), "save_key": save_key})
        if resp.status_code == 409 and resp.json()["code"] == "stale_revision":
            print(f"版本冲突：材料已是第{resp.json()['current_revision']}版，重新读取后再传")
            continue
        break
    if resp.status_code not in (200, 201):
        return fail(resp)
    rev = resp.json()
    print(f"材料#{package_id}：存为第{rev['number']}版（基于第{head}版）"
          f"{'，此前已保存，未重复' if rev['repeated'] else ''}；错误{rev['figures']['errors']}条")

    # 3. A retry with the same key (as after a lost answer) stores nothing new.
    with args.file.open("rb") as fh:
        again = api.post(f"/packages/{package_id}/revisions/file", files={"file": (args.file.name, fh)},
                         data={"base_revision": str(head), "save_key": save_key}).json()
    print(f"重试同一上传：第{again['number']}版，repeated={again['repeated']}")
    actions = api.get(f"/packages/{package_id}/transitions").raise_for_status().json()
    print(f"当前状态：{actions['state_label']}；可执行：{'、'.join(actions['actions']) or '无'}")
    return 0


def fail(resp: httpx.Response) -> int:
    body = resp.json()
    print(f"失败（HTTP {resp.status_code} {body['code']}）：{body['message']}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
