"""Idempotent demo content: realistic Norwegian content written for the project.

Each app that adds demo content gets a module here with a ``load(demo)`` function; the
``load_demo`` command runs them in order. Everything is looked up before it is created, so
running the command twice creates nothing twice.
"""
