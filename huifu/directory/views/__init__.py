"""Pages of the directory: organisations and contacts, departments admin, the liaison list,
Excel import and export. Views parse input, call a selector or a service, and render."""
