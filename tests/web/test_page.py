"""The citizen page in headless Chromium: chat, estimator, languages, keyboard, axe."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.web.conftest import save_screenshot

pytestmark = pytest.mark.browser

# A dependent student whose married parents filed jointly, answered through the page
# (radio values, select values or typed text, by step id).
DEPENDENT_ANSWERS = {
    "award_year": "2025-26",
    "date_of_birth": "2007-05-01",
    "marital_status": "single",
    "state": "OH",
    "parents_marital_status": "married",
    "parents_family_size": "4",
    "parent_filed": "true",
    "parent_filing_status": "married_filing_jointly",
    "parent_agi": "$80,000",
    "parent_tax": "5,000",
    "parent_earned": "78000",
    "parent_cash": "2500",
    "student_filed": "false",
    "student_earned": "3000",
    "student_cash": "400",
    "enrollment": "100",
    "cost_of_attendance": "25000",
}

# The same household as the calculator's input, written out by hand from the spec.
DEPENDENT_REQUEST: dict[str, Any] = {
    "award_year": "2025-26",
    "student": {
        "date_of_birth": "2007-05-01",
        "marital_status": "single",
        "state_of_legal_residence": "OH",
        "income": {"filed_or_will_file_tax_return": False, "earned_income": 3000},
        "assets": {"cash_savings_checking": 400},
    },
    "parents": {
        "marital_status": "married",
        "state_of_legal_residence": "OH",
        "family_size": 4,
        "income": {
            "filed_or_will_file_tax_return": True,
            "tax_filing_status": "married_filing_jointly",
            "adjusted_gross_income": 80000,
            "income_tax_paid": 5000,
            "earned_income": 78000,
            "filed_schedule_a_b_d_e_f_or_h": False,
        },
        "assets": {"cash_savings_checking": 2500},
    },
    "enrollment": {"enrollment_intensity_percent": 100, "cost_of_attendance": 25000},
}


def current_step(page: Any) -> str:
    # Wait until the page has rendered the reply: while a flow call is in flight the old
    # step's form is still on screen, and reading it would answer the wrong question.
    page.wait_for_selector("#flow-area:not([aria-busy='true']) :is(#step-form, #result-heading)")
    form = page.query_selector("#step-form")
    return "" if form is None else str(form.get_attribute("data-step"))


def answer(page: Any, step: str, value: str) -> None:
    """Answer the visible question with a mouse-free fill, check or select."""
    radio = page.query_selector(f'#step-form input[type=radio][value="{value}"]')
    if radio is not None:
        radio.check()
    elif page.query_selector("#step-form select"):
        page.select_option("#step-form select", value)
    else:
        page.fill(f"#answer-{step}", value)
    with page.expect_response("**/v1/flows/**"):
        page.click("#next-button")


def run_estimator(page: Any, answers: dict[str, str]) -> list[str]:
    """Start the estimator and answer until the result shows; return the steps asked."""
    page.click("#start-flow-estimator")
    asked: list[str] = []
    for _ in range(60):
        step = current_step(page)
        if not step:
            return asked
        asked.append(step)
        default = "false" if page.query_selector("#step-form input[value=false]") else "0"
        answer(page, step, answers.get(step, default))
        if len(asked) == 2:
            save_screenshot(page, "estimator-question")
    raise AssertionError(f"the estimator did not finish: {asked}")


def canned_answer(page: Any) -> list[dict[str, Any]]:
    """Answer /v1/chat/completions with a fixed SSE stream; return the requests it got.

    The server's own answers are tested in tests/server; here the page's side of the
    contract is: it sends an OpenAI request and renders the SSE chunks, with the final
    chunk's url_citation annotations as links.
    """
    seen: list[dict[str, Any]] = []
    chunks = [
        {"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]},
        {"choices": [{"index": 0, "delta": {"content": "The FAFSA is free [1]."}}]},
        {"choices": [{"index": 0, "delta": {"content": " File it online [2]."}}]},
        {
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "delta": {
                        "annotations": [
                            {
                                "type": "url_citation",
                                "url_citation": {
                                    "url": "https://studentaid.gov/h/apply-for-aid/fafsa",
                                    "title": "What the FAFSA is",
                                    "start_index": 0,
                                    "end_index": 22,
                                },
                            },
                            {
                                "type": "url_citation",
                                "url_citation": {
                                    "url": "https://studentaid.gov/apply-for-aid/fafsa/filling-out",
                                    "title": "Filling out the FAFSA",
                                    "start_index": 23,
                                    "end_index": 42,
                                },
                            },
                        ]
                    },
                }
            ]
        },
    ]
    body = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"

    def handle(route: Any) -> None:
        seen.append(json.loads(route.request.post_data or "{}"))
        route.fulfill(status=200, content_type="text/event-stream", body=body)

    page.route("**/v1/chat/completions", handle)
    return seen


def test_question_is_streamed_with_cited_sources(page: Any) -> None:
    seen = canned_answer(page)
    page.fill("#question", "Is the FAFSA free?")
    page.click("#ask-button")
    page.wait_for_selector(".message.assistant .sources a")
    assert seen[0]["model"] == "student-aid" and seen[0]["stream"] is True
    assert seen[0]["messages"] == [{"role": "user", "content": "Is the FAFSA free?"}]
    last = page.locator(".message.assistant").last
    assert "The FAFSA is free [1]. File it online [2]." in last.inner_text()
    assert page.get_attribute("#messages", "aria-live") == "polite"
    links = last.locator(".sources a")
    assert links.count() == 2
    assert links.nth(0).get_attribute("href") == "https://studentaid.gov/h/apply-for-aid/fafsa"
    assert links.nth(1).inner_text() == "Filling out the FAFSA"
    # A follow-up question carries the conversation, held only in the page's memory.
    page.fill("#question", "Where do I file it?")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('.sources').length === 2")
    assert [m["role"] for m in seen[1]["messages"]] == ["user", "assistant", "user"]
    save_screenshot(page, "chat-with-sources")


def test_real_server_answer_is_streamed_with_cited_sources(page: Any) -> None:
    # End to end: the page, the server's grounded answer over the pack's articles (the
    # echo engine stands in for the model), and the citations it returns.
    page.fill("#question", "Is the FAFSA free?")
    page.click("#ask-button")
    page.wait_for_selector(".message.assistant[aria-busy='false']", timeout=90_000)
    reply = page.locator(".message.assistant").last
    assert "error" not in (reply.get_attribute("class") or "")
    assert "FAFSA" in reply.locator(".text").inner_text()
    links = reply.locator(".sources a")
    assert links.count() >= 1
    for index in range(links.count()):
        assert (links.nth(index).get_attribute("href") or "").startswith("https://")
        assert links.nth(index).inner_text().strip()
    save_screenshot(page, "chat-real-server")


def test_dependent_student_sees_the_calculators_sai(page: Any) -> None:
    from civicllm.tools.student_aid import estimate

    asked = run_estimator(page, DEPENDENT_ANSWERS)
    assert asked.index("unusual") < asked.index("parent_agi")
    expected = estimate(DEPENDENT_REQUEST)
    assert page.inner_text("#figure-sai") == f"{expected['sai']:,}"
    assert page.inner_text("#figure-pell_grant") == f"${expected['pell_grant']:,}"
    rows = page.locator("#view-table-1 tbody tr")
    assert rows.count() == len(expected["worksheet"])
    # Works on a 360-px phone: nothing wider than the screen but the scrollable table.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    save_screenshot(page, "estimator-result")

    # Correct an answer: the result is computed again.
    page.click("button[aria-label='Change: Parents\\' adjusted gross income']")
    page.fill("#fix-parents-income-adjusted-gross-income", "95000")
    with page.expect_response("**/v1/flows/**"):
        page.click("text=Save and recalculate")
    changed = copy.deepcopy(DEPENDENT_REQUEST)
    changed["parents"]["income"]["adjusted_gross_income"] = 95000
    page.wait_for_function(
        "s => document.querySelector('#figure-sai').textContent === s",
        arg=f"{estimate(changed)['sai']:,}",
    )

    # Nothing personal is kept in the browser or the address.
    stored = page.evaluate(
        "[localStorage.length, sessionStorage.length, document.cookie, location.href]"
    )
    assert stored[:3] == [0, 0, ""]
    assert stored[3].rstrip("/") == page.context.pages[0].url.rstrip("/")
    assert "95000" not in stored[3] and "?" not in stored[3]
    assert page.context.cookies() == []


def test_dont_know_explains_then_uses_a_labelled_assumption(page: Any) -> None:
    page.click("#start-flow-estimator")
    for _ in range(30):
        step = current_step(page)
        if step == "parent_tax":
            break
        default = "false" if page.query_selector("#step-form input[value=false]") else "0"
        answer(page, step, DEPENDENT_ANSWERS.get(step, default))
    page.click("#dont-know")
    page.wait_for_selector("#step-hint")
    assert "line 22" in page.inner_text("#step-hint")
    save_screenshot(page, "estimator-dont-know")
    with page.expect_response("**/v1/flows/**"):
        page.click("#dont-know")
    assert current_step(page) == "parent_earned"


def test_language_switch_changes_all_interface_text(page: Any) -> None:
    page.click("button[data-lang='es']")
    page.wait_for_function("() => document.documentElement.lang === 'es'")
    assert page.inner_text("h1") == "Pregunte a un asistente de servicio público"
    assert page.inner_text("#ask-button") == "Preguntar"
    assert page.get_attribute("button[data-lang='es']", "aria-pressed") == "true"
    page.click("#start-flow-estimator")
    page.wait_for_selector("#step-form")
    assert "¿Para qué año escolar" in page.inner_text("#step-question")
    answer(page, "award_year", "2025-26")
    page.wait_for_selector("#step-form[data-step='date_of_birth']")
    # Switching mid-flow keeps the answers and asks the same question in German.
    page.click("button[data-lang='de']")
    page.wait_for_function(
        "() => document.querySelector('#step-question').textContent.startsWith('Wann sind Sie')"
    )
    assert page.inner_text("#next-button") == "Weiter"
    assert page.inner_text(".step .progress") == "Frage 2"
    for lang, heading in (("fr", "Votre vie privée"), ("en", "Your privacy")):
        page.click(f"button[data-lang='{lang}']")
        page.wait_for_function(f"() => document.documentElement.lang === '{lang}'")
        assert page.inner_text("#privacy-heading") == heading
    save_screenshot(page, "language-switch")


def tab_to(page: Any, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching selector has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement === document.querySelector({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_keyboard_only(page: Any) -> None:
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Chat by keyboard.
    canned_answer(page)
    tab_to(page, "#question")
    page.keyboard.type("Who should file the FAFSA?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".message.assistant[aria-busy='false']")

    # The estimator by keyboard: focus lands on each new question.
    tab_to(page, "#start-flow-estimator")
    page.keyboard.press("Enter")
    page.wait_for_selector("#step-form[data-step='award_year']")
    assert page.evaluate("document.activeElement.id") == "step-question"
    tab_to(page, "#answer-award_year-0")
    page.keyboard.press("ArrowDown")  # move to and select "2026-27"
    page.keyboard.press("ArrowDown")  # "2025-26"
    tab_to(page, "#next-button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#step-form[data-step='date_of_birth']")
    assert page.evaluate("document.activeElement.id") == "step-question"
    tab_to(page, "#answer-date_of_birth")
    page.keyboard.type("not a date")
    page.keyboard.press("Enter")
    page.wait_for_selector("#step-error")
    # After an error, focus goes back to the answer, which names the error.
    assert page.evaluate("document.activeElement.id") == "answer-date_of_birth"
    assert "step-error" in (page.get_attribute("#answer-date_of_birth", "aria-describedby") or "")
    page.keyboard.press("Control+A")
    page.keyboard.type("05/01/2007")
    page.keyboard.press("Enter")
    page.wait_for_selector("#step-form[data-step='marital_status']")
    save_screenshot(page, "keyboard-only")


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    page.evaluate(axe_source)
    results = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_accessibility_has_no_serious_violations(page: Any, axe_source: str) -> None:
    assert axe_violations(page, axe_source) == []
    # The checker itself must see a real problem: an unlabelled box with grey-on-grey text.
    page.evaluate(
        "() => { const p = document.createElement('p'); p.id = 'bad';"
        " p.style.color = '#bbb'; p.style.background = '#ccc'; p.textContent = 'faint';"
        " const i = document.createElement('input'); p.append(i);"
        " document.querySelector('main').append(p); }"
    )
    assert {v["id"] for v in axe_violations(page, axe_source)} >= {"label", "color-contrast"}
    page.evaluate("() => document.getElementById('bad').remove()")
    page.click("#start-flow-estimator")
    page.wait_for_selector("#step-form")
    page.click("#next-button")  # no answer: the error state
    page.wait_for_selector("#step-error")
    assert axe_violations(page, axe_source) == []
    page.click("button[data-lang='fr']")
    page.wait_for_function("() => document.documentElement.lang === 'fr'")
    step = current_step(page)
    answers = dict(DEPENDENT_ANSWERS)
    for _ in range(60):
        if not step:
            break
        default = "false" if page.query_selector("#step-form input[value=false]") else "0"
        answer(page, step, answers.get(step, default))
        step = current_step(page)
    page.wait_for_selector("#result-heading")
    assert axe_violations(page, axe_source) == []


# A second assistant whose flow ends with another tool's view: the page's side of the
# contract (it lists the flows the API gives and renders any ToolView), with the API's
# answers fixed here so no particular tool is needed.
OTHER_FLOWS = {
    "object": "list",
    "data": [
        {
            "id": "meter",
            "object": "flow",
            "title": "Check your water bill",
            "intro": "Two questions.",
            "tool": "city-water/bill",
            "languages": ["en"],
            "url": "/v1/flows/student-aid/meter",
        },
        {
            "id": "leak",
            "object": "flow",
            "title": "Report a leak",
            "intro": "",
            "tool": "city-water/leak",
            "languages": ["en"],
            "url": "/v1/flows/student-aid/leak",
        },
    ],
}
METER_VIEW = {
    "title": "Your bill for March",
    "figures": [
        {"key": "total", "label": "Amount due", "value": 41, "unit": "USD", "note": ""},
        {"key": "used", "label": "Water used", "value": 12.5, "unit": "%", "note": "of the block"},
        {"key": "band", "label": "Band", "value": "standard", "unit": "", "note": ""},
    ],
    "tables": [
        {
            "caption": "Charges by line",
            "columns": ["Line", "Charge"],
            "rows": [["Base", 20], ["Usage", 21]],
        }
    ],
    "chart": {
        "kind": "bar",
        "title": "Use by month",
        "x_label": "Month",
        "y_label": "m3",
        "series": [{"name": "Use", "points": [["Jan", 10], ["Feb", None]]}],
        "source": "City",
    },
    "notes": ["Meter read on 3 March."],
    "sources": [
        {
            "title": "City tariff",
            "url": "https://water.example.gov/tariff",
            "licence": "public domain",
            "release": "2026",
        }
    ],
    "sentences": ["Your bill is $41."],
}


def test_another_assistants_flow_and_tool_view_render(page: Any) -> None:
    asked: list[dict[str, Any]] = []

    def listing(route: Any) -> None:
        route.fulfill(status=200, content_type="application/json", body=json.dumps(OTHER_FLOWS))

    def turn(route: Any) -> None:
        body = json.loads(route.request.post_data or "{}")
        asked.append({"url": route.request.url, **body})
        state = {"version": 1, "flow": "meter", "language": "en", "answers": {}}
        if body.get("state") is None:
            step = {
                "id": "reading",
                "field": "reading",
                "type": "integer",
                "question": "Meter reading?",
                "why": "It sets the bill.",
                "where_to_find": "On the meter.",
                "options": None,
                "error": None,
                "hint": None,
                "allow_unknown": True,
                "number": 1,
            }
            reply = {"state": state, "step": step, "result": None, "title": "Check your water bill"}
        else:
            result = {
                "tool": "city-water/bill",
                "view": METER_VIEW,
                "explanation": [],
                "next_steps": [],
                "notes": ["Meter read on 3 March."],
                "answers": [],
                "request": {},
                "output": {},
            }
            reply = {
                "state": state,
                "step": None,
                "result": result,
                "title": "Check your water bill",
            }
        route.fulfill(status=200, content_type="application/json", body=json.dumps(reply))

    page.route("**/v1/flows/student-aid?*", listing)
    page.route("**/v1/flows/student-aid/meter", turn)
    page.click("button[data-lang='fr']")  # a language change lists the flows again
    page.wait_for_selector("#start-flow-leak")
    assert page.inner_text("#flow-title-meter") == "Check your water bill"
    assert page.locator("#flow-list > li").count() == 2
    page.click("button[data-lang='en']")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    page.click("#start-flow-meter")
    assert current_step(page) == "reading"
    answer(page, "reading", "1234")
    page.wait_for_selector("#result-heading")
    assert asked[-1]["reply"] == "1234" and asked[-1]["url"].endswith("/meter")
    assert page.inner_text("#result-heading") == "Your bill for March"
    assert page.inner_text("#figure-total") == "$41"
    assert page.inner_text("#figure-used").startswith("12.5%")
    assert page.inner_text("#figure-band") == "standard"
    # No explanation from the flow: the view's own sentences say the result.
    assert "Your bill is $41." in page.inner_text(".result")
    table = page.locator("#view-table-1")
    assert table.locator("caption").inner_text() == "Charges by line"
    assert table.locator("th[scope=col]").all_inner_texts() == ["Line", "Charge"]
    assert table.locator("tbody tr").count() == 2
    chart = page.locator(".result figure.chart")
    assert "Use by month" in chart.locator("figcaption").inner_text()
    assert chart.locator("table tbody tr").count() == 2
    assert page.inner_text(".result").count("Meter read on 3 March.") == 1
    link = page.locator(".view-sources a")
    assert link.get_attribute("href") == "https://water.example.gov/tariff"
    page.click("#other-flows")
    page.wait_for_selector("#flow-list:not([hidden]) #start-flow-meter")
    save_screenshot(page, "other-tool-view")
