"""The portal's search service and its backends (database by default, Elasticsearch to scale)."""
