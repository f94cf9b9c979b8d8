"""Site-wide pages and plumbing: home page, standard pages, footer, languages, demo content."""
