"""An amendment is shown as an accessible word diff against the section text, and hostile text in
either version is escaped."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from portal.hearings.diff import diff_counts, diff_html

# Needs no content at all: runs on the site skeleton (tests/conftest.py).
pytestmark = pytest.mark.factories


def test_changed_words_are_marked_deleted_and_inserted_with_spoken_labels():
    with translation.override("en"):
        html = str(diff_html("Strategien skal sikre gode brukermøter.", "Strategien skal sikre god kvalitet."))
    assert html.startswith("Strategien skal sikre ")
    assert '<del><span class="visually-hidden">deleted text: </span>gode</del>' in html
    assert '<ins><span class="visually-hidden">inserted text: </span>god</ins>' in html
    assert '<del><span class="visually-hidden">deleted text: </span>brukermøter.</del>' in html
    assert '<ins><span class="visually-hidden">inserted text: </span>kvalitet.</ins>' in html


def test_identical_texts_have_no_markup():
    assert str(diff_html("Lik tekst.", "Lik tekst.")) == "Lik tekst."


def test_hostile_html_in_either_text_is_escaped():
    html = str(diff_html('<script>alert("a")</script> tekst', 'tekst <img src=x onerror="b()">'))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


def test_paragraph_breaks_survive_as_line_breaks():
    assert "<br>" in str(diff_html("Første.\n\nAndre.", "Første.\n\nTredje."))


def test_counts_say_how_many_words_changed():
    assert diff_counts("en to tre", "en fire tre fem") == (1, 2)


def test_a_replaced_word_and_its_replacement_stay_two_words():
    """Seen on a phone: "sikre" → "bidra" read as "sikrebidra" with the labels hidden."""
    html = str(diff_html("Vi skal sikre gode tjenester.", "Vi skal bidra til gode tjenester."))
    visible = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert "sikre bidra" in visible and "sikrebidra" not in visible
