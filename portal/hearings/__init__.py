"""Hearings (høringer) and the organisations' responses to them."""
