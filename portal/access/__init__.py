"""Who may see, edit and moderate what: portal-wide roles and the one visibility service."""
