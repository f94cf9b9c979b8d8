"""The portal's Django project (settings, URLs, WSGI) and its domain apps."""
