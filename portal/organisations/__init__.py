"""User organisations: public profiles, membership with roles, and their private drafting space."""
