"""User councils: public profiles with their composition, and each council's private space."""
