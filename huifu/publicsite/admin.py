"""The exchange's identity is edited on its staff page (``core:identity``, huifu/publicsite/
views.py ``identity_edit``), which stores the logo through huifu.files and writes the audit
entry; it is deliberately not in the admin, so that there is one place to change it."""
