"""A batch job's upload, kept in the database until the job ends.

Not on a web node's disk: with several web nodes and workers on one PostgreSQL, the worker that
runs the job is often on another machine than the node that took the upload. The zip is stored
in pieces of at most 1 MB (so neither side holds a 200 MB value in one row or one buffer),
written to a private temporary file only while a worker reads it, and deleted in the
transaction that ends the job (done, failed or cancelled).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from jixiao.io import InputError

from .models import ImportJob, JobUploadChunk

CHUNK_BYTES = 1 << 20


def _rechunk(chunks: Iterable[bytes], size: int = CHUNK_BYTES) -> Iterator[bytes]:
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        while len(buf) >= size:
            yield bytes(buf[:size])
            del buf[:size]
    if buf:
        yield bytes(buf)


def store_upload(job: ImportJob, chunks: Iterable[bytes]) -> int:
    """Store the upload's bytes for ``job`` (call inside the transaction that creates the job)."""
    total, seq = 0, -1
    for seq, piece in enumerate(_rechunk(chunks)):
        JobUploadChunk.objects.create(job=job, seq=seq, data=piece)
        total += len(piece)
    if seq < 0:  # an empty file is still the upload: the reader says it is empty, not missing
        JobUploadChunk.objects.create(job=job, seq=0, data=b"")
    ImportJob.objects.filter(pk=job.pk).update(upload_bytes=total)
    job.upload_bytes = total
    return total


def discard_upload(job_id: int) -> None:
    """Delete the stored upload (call inside the transaction that ends the job)."""
    JobUploadChunk.objects.filter(job_id=job_id).delete()
    ImportJob.objects.filter(pk=job_id).update(upload_bytes=0)


@contextmanager
def upload_file(job: ImportJob) -> Iterator[Path]:
    """The job's zip as a local file for the readers: the CLI's own path as it is, or the stored
    upload copied into a private temporary directory that is removed afterwards."""
    if job.stored_path:
        yield Path(job.stored_path)
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-job-") as tmp:
        path = Path(tmp) / "upload.zip"
        found = False
        with path.open("wb") as fh:
            rows = JobUploadChunk.objects.filter(job_id=job.pk).order_by("seq").values_list("data", flat=True)
            for data in rows.iterator(chunk_size=4):
                fh.write(bytes(data))
                found = True
        if not found:
            raise InputError(f"{job.source_name}：上传的压缩包已不在系统中（任务已结束或已取消），请重新上传。")
        yield path
