"""Reads, scoped by the user: one selector per model."""

FILE_PURPOSES = ("university_mou", "university_syllabus", "teaching_material")


def university_file_readable(user, stored_file) -> bool:  # noqa: ANN001
    return False
