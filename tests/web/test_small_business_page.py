"""The small-business assistant's "Am I a small business?" flow on the page, in four languages.

The page, the server, the real NAICS search and the real size check, in headless Chromium:
a description is searched, the industry (or one of SBA's exceptions) is chosen from the
options found, only the figures its standard needs are asked, and the result shows the
size check's verdict and worksheet through the page's generic tool view.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import save_screenshot
from tests.web.test_page import axe_violations, current_step, tab_to

pytestmark = pytest.mark.browser

# Per language: the description typed, the option chosen, the replies by step id (radio
# values or typed text), and the size-check request those answers must make.
PLAYS: dict[str, dict[str, Any]] = {
    "en": {
        "query": "engineering services",
        "choose": "541330-1",
        "replies": {
            "five_years": "true",
            "short_year": "false",
            "receipts_year_1": "40,000,000",
            "receipts_year_2": "42000000",
            "receipts_year_3": "$44,000,000",
            "receipts_year_4": "46000000",
            "receipts_year_5": "48000000",
            "has_affiliates": "true",
            "affiliates_year_1": "1000000",
            "affiliates_year_2": "1000000",
            "affiliates_year_3": "1000000",
            "affiliates_year_4": "1000000",
            "affiliates_year_5": "1000000",
        },
        "request": {
            "naics": "541330",
            "exception": 1,
            "receipts": {"fiscal_years": [40000000, 42000000, 44000000, 46000000, 48000000]},
            "affiliates": [{"receipts": {"fiscal_years": [1000000] * 5}}],
        },
    },
    "es": {
        "query": "panadería industrial",
        "choose": "311812",
        "replies": {"pay_periods": "120; 118; 125", "has_affiliates": "false"},
        "request": {"naics": "311812", "employees": {"pay_periods": [120, 118, 125]}},
    },
    "fr": {
        "query": "plombier",
        "choose": "238220",
        "replies": {
            "five_years": "false",
            "weeks_in_business": "104",
            "receipts_year_1": "45 000 000",
            "has_affiliates": "false",
        },
        "request": {
            "naics": "238220",
            "receipts": {"weeks_in_business": 104, "fiscal_years": [45000000]},
        },
    },
    "de": {
        "query": "Geschäftsbank",
        "choose": "522110",
        "replies": {
            "assets_quarter_1": "800.000.000",
            "assets_quarter_2": "820000000",
            "assets_quarter_3": "840000000",
            "assets_quarter_4": "860000000",
            "has_affiliates": "false",
        },
        "request": {
            "naics": "522110",
            "assets": {"quarters": [800000000, 820000000, 840000000, 860000000]},
        },
    },
}
LEGEND_START = {
    "en": "These industries match",
    "es": "Estas industrias coinciden",
    "fr": "Ces secteurs correspondent",
    "de": "Diese Branchen passen",
}


def send(page: Any, selector: str = "#next-button") -> None:
    with page.expect_response("**/v1/flows/**"):
        page.click(selector)


@pytest.mark.parametrize("lang", list(PLAYS))
def test_am_i_a_small_business_on_the_page(page: Any, lang: str) -> None:
    from civicllm.tools.small_business.size import check_size
    from civicllm.tools.small_business.size_tool import SIZE_CHECK

    play = PLAYS[lang]
    page.select_option("#assistant", "small-business")
    page.wait_for_selector("#start-flow-size")
    if lang != "en":
        page.click(f"button[data-lang='{lang}']")
        page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
        page.wait_for_selector("#start-flow-size")
    page.click("#start-flow-size")
    assert current_step(page) == "industry"
    # First the description, in a labelled text box.
    assert page.get_attribute("#answer-industry", "type") == "text"
    page.fill("#answer-industry", play["query"])
    send(page)
    page.wait_for_selector("#step-form fieldset input[type=radio]")
    # Then the options found, an accessible radio group whose legend is the question; each
    # option names the code and title and says its size standard.
    legend = page.inner_text("#step-form fieldset legend")
    assert legend.startswith(LEGEND_START[lang]) and play["query"] in legend
    assert page.evaluate("document.activeElement.id") == "step-question"
    radio = page.locator(f'#step-form input[type=radio][value="{play["choose"]}"]')
    label = page.locator(f'label[for="{radio.get_attribute("id")}"]')
    assert label.inner_text().startswith(play["choose"].split("-")[0])
    assert label.locator(".option-detail").inner_text().strip()
    if lang == "en":
        # SBA's exceptions are options of their own, after their industry.
        assert "Exception 1: Military and Aerospace" in label.inner_text()
        save_screenshot(page, "small-business-industries")
    radio.check()
    send(page)
    asked = []
    for _ in range(30):
        step = current_step(page)
        if not step:
            break
        asked.append(step)
        reply = play["replies"][step]
        choice = page.query_selector(f'#step-form input[type=radio][value="{reply}"]')
        if choice is not None:
            choice.check()
        else:
            page.fill(f"#answer-{step}", reply)
        send(page)
    # Only the questions the chosen standard needs were asked.
    assert asked == list(play["replies"])
    page.wait_for_selector("#result-heading")
    expected = check_size(play["request"])
    assert SIZE_CHECK.view is not None
    view = SIZE_CHECK.view(expected, lang).to_json()
    figures = {f["key"]: f for f in view["figures"]}
    assert page.inner_text("#figure-small") == figures["small"]["value"]
    assert page.inner_text("#result-heading") == view["title"]
    rows = page.locator("#view-table-1 tbody tr")
    assert rows.count() == len(view["tables"][0]["rows"]) >= 3
    assert view["sentences"][0] in page.inner_text(".result")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    save_screenshot(page, f"small-business-result-{lang}")


def test_search_again_and_change_the_industry(page: Any, axe_source: str) -> None:
    page.select_option("#assistant", "small-business")
    page.click("#start-flow-size")
    current_step(page)
    page.fill("#answer-industry", "999999")  # no NAICS code: nothing found
    send(page)
    page.wait_for_selector("#step-error")
    # The error is announced, and focus is back in the box, which names it.
    assert "999999" in page.inner_text("#step-error")
    assert page.evaluate("document.activeElement.id") == "answer-industry"
    assert "step-error" in (page.get_attribute("#answer-industry", "aria-describedby") or "")
    page.fill("#answer-industry", "plombier")
    send(page)
    page.wait_for_selector("#search-again")
    assert axe_violations(page, axe_source) == []
    # None of these: search again in other words, from the options' own box.
    page.fill("#search-again", "541511")
    send(page, "#search-again-button")
    page.wait_for_selector('#step-form input[type=radio][value="541511"]')
    # Chosen by keyboard: the options are one radio group, reached with Tab.
    assert page.get_attribute("#answer-industry-0", "value") == "541511"
    tab_to(page, "#answer-industry-0")
    page.keyboard.press("Space")
    assert page.is_checked("#answer-industry-0")
    tab_to(page, "#next-button")
    with page.expect_response("**/v1/flows/**"):
        page.keyboard.press("Enter")
    for reply in ("false", "52", "1000000", "false"):
        current_step(page)
        choice = page.query_selector(f'#step-form input[type=radio][value="{reply}"]')
        if choice is not None:
            choice.check()
        else:
            page.fill("#step-form input[type=text]", reply)
        send(page)
    page.wait_for_selector("#result-heading")
    assert page.inner_text("#figure-small") == "yes"
    assert axe_violations(page, axe_source) == []
    # Change the industry from the answers: a new search, a new choice, the figures kept.
    page.click("button[aria-label='Change: Industry']")
    page.fill("#fix-flow-industry", "541330")
    send(page, "text=Save and recalculate")
    page.wait_for_selector('#step-form input[type=radio][value="541330"]')
    page.check('#step-form input[type=radio][value="541330"]')
    send(page)
    page.wait_for_selector("#result-heading")
    assert "541330" in page.inner_text("#result-heading")
