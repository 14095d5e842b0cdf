"""Access to stored files: the rule lives in ``huifu.files.access``; this exposes it to ``rules``."""

from __future__ import annotations

import rules

from .access import can_download


@rules.predicate
def can_download_file(user, stored_file) -> bool:  # noqa: ANN001
    return stored_file is not None and can_download(user, stored_file)


rules.add_perm("files.download_file", can_download_file)
