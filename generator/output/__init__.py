"""The only package that writes to disk: the site (built beside the output, then swapped into place),
what a build keeps beside it, and the site as one zip."""

from __future__ import annotations

from .archive import ZipWritten, write_site_zip, zip_path_problem
from .sources import SOURCE_LIMIT, ChangedOnDisk, SourceRefused, create_source, replace_source, source_digest
from .upkeep import (
    make_signing_key,
    output_lock,
    recover_output,
    remove_cache,
    remove_leftovers,
    remove_partial_cache,
    write_cache,
    write_record,
)
from .writer import MARKER, SiteWriter, check_output_folder, read_manifest, remove_site, write_new_folder

__all__ = [
    "MARKER",
    "SOURCE_LIMIT",
    "ChangedOnDisk",
    "SiteWriter",
    "SourceRefused",
    "ZipWritten",
    "check_output_folder",
    "create_source",
    "make_signing_key",
    "output_lock",
    "read_manifest",
    "recover_output",
    "remove_cache",
    "remove_leftovers",
    "remove_partial_cache",
    "remove_site",
    "replace_source",
    "source_digest",
    "write_cache",
    "write_new_folder",
    "write_record",
    "write_site_zip",
    "zip_path_problem",
]
