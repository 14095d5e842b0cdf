# Django's zh_Hans formats render a date input's value as "2026/12/03", which <input type="date">
# rejects (it only takes ISO): editing a saved record in Chinese showed its dates empty and
# saving lost them. ISO first for rendering; the Chinese forms are still accepted when typed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%n月%j日"]
