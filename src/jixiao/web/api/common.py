"""Pieces the route modules share: error responses to declare, figures of a revision."""

from __future__ import annotations

from .schemas import Error, Figures, InvalidError, RevisionMeta

# Errors every authenticated operation may answer with (declared so the OpenAPI document says so).
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 422: InvalidError, 429: Error, 503: Error}


def responses(ok: dict, **more) -> dict:
    return {**ERRORS, **ok, **{int(k.lstrip("_")): v for k, v in more.items()}}


def figures(rev) -> Figures:
    return Figures(errors=rev.errors, warnings=rev.warnings, infos=rev.infos,
                   unexplained_errors=rev.unexplained_errors, self_total=rev.self_total,
                   computed_total=rev.computed_total, self_grade=rev.self_grade, computed_grade=rev.computed_grade)


def revision_meta(rev) -> RevisionMeta:
    return RevisionMeta(number=rev.number, base_number=rev.base_number,
                        author=rev.author.display_name if rev.author_id else "", created_at=rev.created_at,
                        source=rev.source, source_label=rev.source_label, note=rev.note or "", figures=figures(rev))
