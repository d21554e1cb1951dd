"""Layer 4: the calculators notebook in Voila. A physicist enters two courses into the dose widget and reads the
cumulative EQD2 and the verdict against each source's limit; nonsense input gets a plain message, never a stale
result."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def lq_eqd2(total: float, fractions: int, alpha_beta: float) -> float:
    """The LQ conversion written out independently of the package: EQD2 = D (d + α/β) / (2 + α/β)."""
    return total * (total / fractions + alpha_beta) / (2 + alpha_beta)


def enter_course(page, number: int, dose_gy: float, fractions: int) -> None:
    page.locator(f".hnscc-course-{number}-dose input").fill(f"{dose_gy:g}")
    page.locator(f".hnscc-course-{number}-fractions input").fill(str(fractions))
    page.locator(f".hnscc-course-{number}-fractions input").press("Tab")  # commit the value, as a user leaving it


def verdict_row(page, source_label: str):
    return page.locator(".hnscc-calculator-cumulative-dose tr.hnscc-verdict", has_text=source_label).first


def test_two_courses_give_cumulative_eqd2_and_a_verdict_per_source(voila, page):
    server = voila("calculators.ipynb")
    page.goto(server.url)
    calculator = page.locator(".hnscc-calculator-cumulative-dose")
    calculator.wait_for()
    assert "Education, not clinical advice" in page.content()
    assert page.title().startswith("Calculators")

    # Cord Dmax: 45 Gy in 25 fractions in the first course, then 20 Gy in 10 fractions; no recovery assumed.
    enter_course(page, 1, 45, 25)
    enter_course(page, 2, 20, 10)
    calculator.locator(".hnscc-recovery select").select_option(label="None: 0% (most cautious)")
    calculator.locator(".hnscc-calculate-cumulative-dose").click()

    expected = lq_eqd2(45, 25, 2) + lq_eqd2(20, 10, 2)  # 42.75 + 20 = 62.75 Gy at α/β 2
    headline = calculator.locator(".hnscc-calc-result .hnscc-headline")
    headline.wait_for()
    assert f"{expected:.2f} Gy at α/β 2 Gy" in headline.inner_text()

    rows = calculator.locator("tr.hnscc-verdict")
    assert rows.count() == 6  # every tabulated source for the spinal cord, side by side
    # 62.75 Gy against each source's number: Delphi Dmax 60 and ARS < 57 and Paradis < 56.25 are exceeded;
    # Nieder's 67.75 and Sahgal's 70 are not (and neither course exceeds Nieder's per-course 49 Gy).
    for label in ("Thoracic re-irradiation Delphi consensus", "ARS thoracic abstract", "Paradis"):
        assert "OVER" in verdict_row(page, label).inner_text(), label
    for label in ("Nieder 2006", "Sahgal 2012"):
        assert "within" in verdict_row(page, label).inner_text(), label
    assert "near" in verdict_row(page, "Troost").inner_text()  # < 65 Gy: 62.75 is within 5% of it

    # The figure is drawn when asked for, and its text alternative carries the same verdicts.
    calculator.locator("button.hnscc-show-figure").click()
    calculator.locator(".js-plotly-plot").first.wait_for()
    alternative = calculator.locator(".hnscc-figure-text").inner_text()
    assert "Figure: Cumulative dose to the spinal cord" in alternative
    assert "Thoracic re-irradiation Delphi consensus" in alternative

    # Assumptions are printed under the result.
    assumptions = calculator.locator(".hnscc-assumptions").inner_text()
    assert "Recovery 0%" in assumptions and "Linear-quadratic" in assumptions

    # A negative dose: a message in plain words, and the old result is gone rather than left standing.
    enter_course(page, 2, -5, 10)
    calculator.locator(".hnscc-calculate-cumulative-dose").click()
    message = calculator.locator(".hnscc-message .hnscc-error")
    message.wait_for()
    assert "cannot be negative" in message.inner_text()
    assert calculator.locator(".hnscc-calc-result .hnscc-headline").count() == 0
    assert "Traceback" not in page.content()


def test_dates_set_the_default_recovery(voila, page):
    server = voila("calculators.ipynb")
    page.goto(server.url)
    calculator = page.locator(".hnscc-calculator-cumulative-dose")
    calculator.wait_for()
    enter_course(page, 1, 50, 25)
    enter_course(page, 2, 20, 10)
    calculator.locator(".hnscc-course-1-date input").fill("2024-01-15")
    calculator.locator(".hnscc-course-2-date input").fill("2025-03-01")  # 13.5 months later: 50% by the rule
    calculator.locator(".hnscc-course-2-date input").press("Tab")
    calculator.locator(".hnscc-calculate-cumulative-dose").click()
    expected = 0.5 * lq_eqd2(50, 25, 2) + lq_eqd2(20, 10, 2)  # 25 + 20 = 45 Gy
    headline = calculator.locator(".hnscc-calc-result .hnscc-headline")
    headline.wait_for()
    assert f"{expected:.2f} Gy at α/β 2 Gy" in headline.inner_text()
    assert "Recovery 50% from the default rule" in calculator.locator(".hnscc-assumptions").inner_text()


def test_preloaded_calculators_show_results_on_arrival_and_figures_on_request(voila, page):
    """Views preloaded by the notebook (as a case stage preloads them) arrive computed, with their figures' text;
    each figure is drawn when its button is pressed."""
    server = voila("calculators.ipynb")
    page.goto(server.url)
    recist = page.locator(".hnscc-calculator-recist")
    recist.locator(".hnscc-figure-text").wait_for()
    assert page.locator(".js-plotly-plot").count() == 0
    recist.locator("button.hnscc-show-figure").click()
    recist.locator(".js-plotly-plot").first.wait_for()
    # Sums 70 -> 50 -> 58 -> 69 mm: +19 mm over the nadir of 50 is at least 20% and 5 mm, so the last call is PD,
    # which iRECIST holds as unconfirmed progression (iUPD) until a confirming scan.
    assert "iUPD" in recist.locator(".hnscc-headline").inner_text()
    assert "Figure: Change from baseline in target lesions" in recist.locator(".hnscc-figure-text").inner_text()
    cps = page.locator(".hnscc-calculator-cps .hnscc-headline")
    assert "CPS 25.0" in cps.inner_text()  # (30 + 20) / 200 x 100
    sequencing = page.locator(".hnscc-calculator-sequencing")
    sequencing.locator("button.hnscc-show-figure").click()
    sequencing.locator(".js-plotly-plot").first.wait_for()
    assert "KEYNOTE-048" in sequencing.locator(".hnscc-figure-text").inner_text()
    assert sequencing.locator("li.hnscc-option").count() >= 2


def test_a_dose_in_cgy_typed_as_gy_is_questioned_and_the_answer_taken(voila, page):
    """Issue 20: 4,600 "Gy" in 23 fractions asks "did you mean 46 Gy?" and computes nothing until answered."""
    server = voila("calculators.ipynb")
    page.goto(server.url)
    calculator = page.locator(".hnscc-calculator-cumulative-dose")
    calculator.wait_for()
    enter_course(page, 1, 50, 25)
    enter_course(page, 2, 4600, 23)
    calculator.locator(".hnscc-recovery select").select_option(label="None: 0% (most cautious)")
    calculator.locator(".hnscc-calculate-cumulative-dose").click()
    message = calculator.locator(".hnscc-message .hnscc-error")
    message.wait_for()
    assert "200 Gy per fraction" in message.inner_text() and "Did you mean 46 Gy (4600 cGy)?" in message.inner_text()
    assert calculator.locator(".hnscc-calc-result .hnscc-headline").count() == 0  # nothing computed silently
    calculator.locator("button.hnscc-use-suggested-dose").click()
    headline = calculator.locator(".hnscc-calc-result .hnscc-headline")
    headline.wait_for()
    expected = lq_eqd2(50, 25, 2) + lq_eqd2(46, 23, 2)
    assert f"{expected:.2f} Gy at α/β 2 Gy" in headline.inner_text()
    assert calculator.locator(".hnscc-course-2-dose input").input_value() == "46"
    assert calculator.locator(".hnscc-message .hnscc-error").count() == 0


# What ipywidgets 8.1.9 leaves in an output it gave up on while the page loaded (jupyter-widgets/ipywidgets#4026):
# the output's node keeps its place and says so. Written here into the CPS calculator's output, as the race left it
# in about one loaded page visit in seven (see hnscc_edu/ui/widget_recovery.py).
GIVE_UP = """() => {
    const box = document.querySelector(".hnscc-calculator-cps");
    const output = box.closest(".jp-OutputArea-output");
    output.textContent = "Error displaying widget: model not found";
    output.classList.add("jupyter-widgets");
    return document.querySelectorAll(".hnscc-calculator-cps").length;
}"""


def test_a_widget_ipywidgets_gave_up_on_is_drawn_again_and_works(voila, page):
    server = voila("calculators.ipynb")
    page.goto(server.url)
    headline = page.locator(".hnscc-calculator-cps .hnscc-headline")
    assert "CPS 25.0" in headline.inner_text()
    noted = page.evaluate("window.hnsccWidgetRecovery.noted")
    assert noted >= 5  # every calculator's output was noted while Voila drew the page
    # on a busy machine the race itself may already have been mended on this page: count from here
    before = page.evaluate("window.hnsccWidgetRecovery.redrawn.length")
    assert page.evaluate(GIVE_UP) == 0  # the calculator is gone, the message in its place
    assert "CPS 25.0" in headline.inner_text()  # drawn again (within half a second) from the widget the page holds
    assert page.evaluate("window.hnsccWidgetRecovery.redrawn.length") == before + 1
    assert page.get_by_text("Error displaying widget").count() == 0
    # the view drawn again talks to the kernel: a new count gives a new score
    calculator = page.locator(".hnscc-calculator-cps")
    tumour = calculator.locator(".hnscc-cps-tumour input")
    tumour.fill("60")
    tumour.press("Tab")
    calculator.locator("button.hnscc-calculate-cps").click()
    page.locator(".hnscc-calculator-cps .hnscc-headline", has_text="CPS 40.0").wait_for()  # (60 + 20) / 200 x 100
