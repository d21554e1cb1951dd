"""The outcomes report's data tables: the shared table macro, numbers to three significant digits, gaps empty."""

from __future__ import annotations

import math

import pandas as pd

from hnscc_edu.export.report import table_cells, table_html


def test_cells_round_decimals_leave_gaps_empty_and_keep_whole_numbers_and_flags():
    frame = pd.DataFrame(
        {
            "item": ["q1", None],
            "difficulty": [0.123456, math.nan],
            "responses": [2414, 12],
            "flagged": [True, False],
        }
    )
    assert table_cells(frame) == [("q1", "0.123", "2414", "True"), ("", "", "12", "False")]


def test_the_table_has_its_caption_and_headers_and_escapes_every_cell():
    frame = pd.DataFrame({"comment<b>": ['<script>alert("x")</script>'], "share": [12345.678]})
    page = table_html(frame, "Comments & barriers")
    assert "<caption>Comments &amp; barriers</caption>" in page
    assert '<th scope="col">comment&lt;b&gt;</th>' in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<td>1.23e+04</td>" in page


def test_an_empty_table_says_so():
    assert table_html(pd.DataFrame({"a": []}), "Item flags") == "<p>No data yet for: Item flags.</p>"
