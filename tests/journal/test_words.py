"""The one vocabulary of plain words (journal.words): every place that shows a stored code reads it from there."""

from __future__ import annotations

from journal import records, words
from journal.words import Words, form_words, report_words, text_words, words_for


def test_each_vocabulary_words_every_allowed_code_in_the_order_the_forms_offer_them():
    assert tuple(words.EPISODE_SEVERITY) == records.EPISODE_SEVERITIES
    assert tuple(words.STOP_REASON) == records.STOP_REASONS
    assert tuple(words.CONDITION_STATUS) == records.CONDITION_STATUSES
    assert tuple(words.DAILY) == records.DAILY_FIELDS


def test_the_report_and_explained_forms_read_as_the_text_unless_a_place_needs_other_words():
    plain = Words("Mild", "mild")
    assert (plain.report, plain.explained) == ("mild", "mild")
    in_report = {"esketamine": "Esketamine", "ketamine_iv": "IV ketamine", "ect": "ECT", "rtms": "rTMS", "other": "Other"}
    assert report_words(words.TREATMENT) == in_report
    assert text_words(words.TREATMENT)["other"] == "other treatment"
    assert form_words(words.TREATMENT)["esketamine"] == "Esketamine (nasal spray)"
    assert words.OUTCOME["response"].explained == "response (at least 50 % better)"
    assert words.OUTCOME["not-adequate"].explained == words.OUTCOME["not-adequate"].text == "not an adequate trial"


def test_a_code_the_vocabulary_does_not_know_reads_as_itself():
    assert words_for(words.TREATMENT, "light_therapy") == "light therapy"
    assert words_for(words.TREATMENT, None, empty="not recorded") == "not recorded"
    assert words_for(words.STOP_REASON, "ineffective", form=True) == "It did not help enough"
