# Django's zh_Hans formats render a date input's value as "2026/12/03", which <input type="date">
# rejects (it only takes ISO): editing a saved record in Chinese showed its dates empty and
# saving lost them. ISO first for rendering; the Chinese forms are still accepted when typed.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
# The same for date and time: Django's zh_Hans writes "2026/12/03 09:30", which
# <input type="datetime-local"> rejects; ISO first, the Chinese ways of typing still read.
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
]
