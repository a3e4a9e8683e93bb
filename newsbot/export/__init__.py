"""Datasets from crawl runs: filter, deduplicate, shard, document.

``newsbot export`` is a thin layer over :func:`export_dataset`.
"""

from __future__ import annotations

from newsbot.export.dataset import ExportOptions, ExportResult, export_dataset
from newsbot.export.dataset_schema import dataset_fields, dataset_schema, generate_record_schema
from newsbot.export.run_files import ExportError, find_run_files
from newsbot.export.writers import arrow_schema

__all__ = [
    "ExportError",
    "ExportOptions",
    "ExportResult",
    "arrow_schema",
    "dataset_fields",
    "dataset_schema",
    "export_dataset",
    "find_run_files",
    "generate_record_schema",
]
