// civicllm citizen page: assistant chooser, streamed chat with citations, the assistant's
// guided flows (listed by the API) and any tool view they end with.
// Plain JavaScript, no framework, no build step. Nothing is written to cookies,
// localStorage, sessionStorage or the URL: the conversation and the flow state live
// only in the variables of this closure and are gone when the tab closes.
"use strict";

(function () {
  const LANGUAGES = ["en", "es", "fr", "de"];

  const page = {
    lang: "en",
    strings: {},
    assistant: "",
    history: [],       // chat messages sent back to the server with each question
    flows: [],         // the assistant's guided flows, from GET /v1/flows/{pack}
    flow: "",          // the flow being answered
    flowState: null,   // its state, held only here
    flowBody: null,    // the last flow response, to re-render on language change
    busy: false,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of [].concat(children || [])) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  function t(key, fill) {
    let text = page.strings[key] || key;
    for (const [name, value] of Object.entries(fill || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  // Text with bare https:// links made clickable, built without innerHTML.
  function linkify(text) {
    const span = el("span");
    const parts = String(text).split(/(https:\/\/[^\s)]+)/g);
    parts.forEach((part, index) => {
      if (index % 2 === 1) span.append(el("a", { href: part, rel: "noopener noreferrer" }, part));
      else if (part) span.append(document.createTextNode(part));
    });
    return span;
  }

  // --- language ----------------------------------------------------------------------------

  async function setLanguage(lang) {
    if (!LANGUAGES.includes(lang)) lang = "en";
    const response = await fetch("/static/i18n/" + lang + ".json");
    page.strings = await response.json();
    page.lang = lang;
    document.documentElement.lang = lang;
    document.title = t("page_title");
    document.querySelectorAll("[data-i18n]").forEach((node) => {
      node.textContent = t(node.getAttribute("data-i18n"));
    });
    document.querySelectorAll("[data-lang]").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === lang));
    });
    document.querySelectorAll("[data-i18n-label]").forEach((node) => {
      node.setAttribute("aria-label", t(node.getAttribute("data-i18n-label")));
    });
    relabelMessages();
    if (page.assistant) await loadFlows();
    if (page.flowState) await flowCall({ state: page.flowState, reply: null }, false);
  }

  // --- assistants --------------------------------------------------------------------------

  async function loadAssistants() {
    const select = $("assistant");
    let models = [];
    try {
      const response = await fetch("/v1/models");
      const body = await response.json();
      models = (body.data || []).filter((m) => m.civicllm && m.civicllm.kind === "assistant");
    } catch (error) {
      models = [];
    }
    select.textContent = "";
    for (const model of models) {
      select.append(el("option", { value: model.id }, model.civicllm.name || model.id));
    }
    page.models = models;
    if (models.length) await chooseAssistant(models[0].id);
  }

  async function chooseAssistant(id) {
    page.assistant = id;
    page.history = [];
    page.flow = "";
    page.flowState = null;
    page.flowBody = null;
    $("messages").textContent = "";
    $("flow-area").textContent = "";
    const model = (page.models || []).find((m) => m.id === id);
    $("assistant-description").textContent = model ? model.civicllm.description || "" : "";
    await loadFlows();
  }

  // The guided flows of the assistant, titles in the page's language; the section shows only
  // for assistants that have one. Listing them stores nothing anywhere.
  async function loadFlows() {
    const assistant = page.assistant;
    let flows = [];
    try {
      const url = "/v1/flows/" + encodeURIComponent(assistant) + "?language=" + page.lang;
      const response = await fetch(url);
      if (response.ok) flows = (await response.json()).data || [];
    } catch (error) {
      flows = [];
    }
    if (assistant !== page.assistant) return;
    page.flows = flows;
    renderFlowList();
  }

  function renderFlowList() {
    const list = $("flow-list");
    list.textContent = "";
    for (const flow of page.flows) {
      const key = flow.id.replace(/[^a-z0-9-]/gi, "-");
      const start = el("button", {
        type: "button", className: "primary", id: "start-flow-" + key,
        "aria-describedby": "flow-title-" + key,
      }, t("start_button"));
      start.addEventListener("click", () => startFlow(flow.id));
      list.append(el("li", { className: "flow-item" }, [
        el("h3", { id: "flow-title-" + key }, flow.title),
        flow.intro ? el("p", {}, flow.intro) : null,
        start,
      ]));
    }
    $("flows").hidden = page.flows.length === 0;
    list.hidden = Boolean(page.flow);
  }

  function startFlow(id) {
    page.flow = id;
    page.flowState = null;
    flowCall({ state: null, reply: null }, true);
  }

  function showFlowList() {
    page.flow = "";
    page.flowState = null;
    page.flowBody = null;
    $("flow-area").textContent = "";
    renderFlowList();
    const first = $("flow-list").querySelector("button");
    if (first) first.focus();
  }

  function flowUrl() {
    return "/v1/flows/" + encodeURIComponent(page.assistant) + "/" + encodeURIComponent(page.flow);
  }

  // --- chat --------------------------------------------------------------------------------

  function addMessage(role, text) {
    const item = el("li", { className: "message " + role }, [
      el("span", { className: "who", "data-role": role }, t(role === "user" ? "you" : "assistant")),
      el("div", { className: "text" }, text),
    ]);
    $("messages").append(item);
    return item;
  }

  function relabelMessages() {
    document.querySelectorAll(".message .who").forEach((node) => {
      node.textContent = t(node.getAttribute("data-role") === "user" ? "you" : "assistant");
    });
    document.querySelectorAll(".sources h3").forEach((node) => {
      node.textContent = t("sources");
    });
  }

  // The numbered civicllm citations match the [n] markers in the answer; the OpenAI
  // url_citation annotations are the fallback for servers that send only those.
  function citationsFrom(delta, collected) {
    const numbered = delta.civicllm_citations || (delta.civicllm && delta.civicllm.citations) || [];
    for (const cite of numbered) {
      const url = cite.url || cite.source_url || "";
      const title = [cite.title, cite.section].filter(Boolean).join(" — ") || url;
      collected.numbered.push({ number: cite.number, url: url, title: title });
    }
    for (const note of delta.annotations || []) {
      const cite = note && note.type === "url_citation" ? note.url_citation : null;
      if (cite && cite.url) collected.annotations.push({ url: cite.url, title: cite.title || cite.url });
    }
  }

  function renderSources(item, collected) {
    const citations = collected.numbered.length ? collected.numbered : collected.annotations;
    const seen = new Set();
    const unique = citations.filter((c) => {
      const key = c.url + "\n" + c.title;
      return !seen.has(key) && seen.add(key);
    });
    if (!unique.length) return;
    const list = el("ol");
    for (const cite of unique) {
      const safe = /^https?:\/\//.test(cite.url) ? cite.url : null;
      const link = safe ? el("a", { href: safe, rel: "noopener noreferrer" }, cite.title) : cite.title;
      list.append(el("li", { value: Number.isInteger(cite.number) ? cite.number : null }, link));
    }
    item.append(el("div", { className: "sources" }, [el("h3", {}, t("sources")), list]));
  }

  // --- charts of data answers ----------------------------------------------------------

  // The server draws a data answer's chart as SVG; it is parsed as XML (never as HTML) and
  // anything active is removed before it joins the page.
  function safeSvg(markup) {
    const doc = new DOMParser().parseFromString(markup, "image/svg+xml");
    const root = doc.documentElement;
    if (!root || root.nodeName !== "svg" || doc.getElementsByTagName("parsererror").length) return null;
    root.querySelectorAll("script, foreignObject, iframe, a").forEach((node) => node.remove());
    for (const node of [root, ...root.querySelectorAll("*")]) {
      for (const attr of Array.from(node.attributes)) {
        const value = attr.value.trim().toLowerCase();
        if (attr.name.toLowerCase().startsWith("on") || attr.name === "style" ||
            (/href$/i.test(attr.name) && !value.startsWith("#"))) {
          node.removeAttribute(attr.name);
        }
      }
    }
    root.setAttribute("width", "100%");
    root.removeAttribute("height"); // the viewBox keeps the shape
    return document.importNode(root, true);
  }

  function formatValue(value) {
    const locale = { en: "en-US", es: "es-ES", fr: "fr-FR", de: "de-DE" }[page.lang] || "en-US";
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  }

  function chartTable(chart) {
    const table = el("table", { className: "visually-hidden" });
    table.append(el("caption", {}, chart.title || ""));
    const head = el("tr", {}, [
      el("th", { scope: "col" }, t("chart_series")),
      el("th", { scope: "col" }, chart.x_label || ""),
      el("th", { scope: "col" }, chart.y_label || ""),
    ]);
    const body = el("tbody");
    for (const series of chart.series || []) {
      for (const [x, y] of series.points || []) {
        body.append(el("tr", {}, [
          el("td", {}, series.name),
          el("th", { scope: "row" }, String(x)),
          el("td", {}, y === null || y === undefined ? t("chart_no_value") : formatValue(y)),
        ]));
      }
    }
    table.append(el("thead", {}, head), body);
    return table;
  }

  function renderChart(item, extension) {
    const chart = extension && extension.chart;
    if (!chart || !chart.svg) return;
    const svg = safeSvg(chart.svg);
    if (!svg) return;
    const children = [svg, el("figcaption", {}, chart.title || "")];
    const plotted = extension.view && extension.view.chart;
    if (plotted) children.push(chartTable(plotted));
    if (chart.csv_url && chart.csv_url.startsWith("/v1/data/")) {
      children.push(el("p", {}, el("a", { href: chart.csv_url, download: "" }, t("chart_csv"))));
    }
    item.append(el("figure", { className: "chart" }, children));
  }

  async function ask(question) {
    if (page.busy || !question.trim() || !page.assistant) return;
    page.busy = true;
    $("ask-button").disabled = true;
    addMessage("user", question);
    page.history.push({ role: "user", content: question });
    const item = addMessage("assistant", "");
    const textNode = item.querySelector(".text");
    item.setAttribute("aria-busy", "true");
    $("chat-status").textContent = t("answering");
    let answer = "";
    const citations = { numbered: [], annotations: [] };
    let extension = null; // the civicllm extension of the last chunk (data, chart)
    try {
      const response = await fetch("/v1/chat/completions", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ model: page.assistant, messages: page.history, stream: true }),
      });
      if (!response.ok || !response.body) {
        const body = await response.json().catch(() => ({}));
        throw new Error((body.error && body.error.message) || t("error_generic"));
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let done = false;
      while (!done) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          for (const line of event.split("\n")) {
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") { done = true; break; }
            const payload = JSON.parse(data);
            if (payload.error) throw new Error(payload.error.message || t("error_generic"));
            for (const choice of payload.choices || []) {
              const delta = choice.delta || {};
              if (delta.content) {
                answer += delta.content;
                textNode.textContent = answer;
              }
              citationsFrom(delta, citations);
              if (delta.civicllm) extension = delta.civicllm;
            }
          }
        }
      }
      page.history.push({ role: "assistant", content: answer });
      renderChart(item, extension);
      renderSources(item, citations);
      $("chat-status").textContent = t("answer_done");
    } catch (error) {
      item.classList.add("error");
      textNode.textContent = error.message || t("error_generic");
      page.history.pop();
      $("chat-status").textContent = "";
    } finally {
      item.setAttribute("aria-busy", "false");
      page.busy = false;
      $("ask-button").disabled = false;
    }
  }

  // --- guided flows ------------------------------------------------------------------------

  // The flow's title and introduction above its question or result.
  function flowHeader(body) {
    return [
      el("h3", { className: "flow-title" }, body.title || ""),
      body.intro ? el("p", { className: "help" }, body.intro) : null,
    ];
  }

  async function flowCall(payload, moveFocus) {
    payload.language = page.lang;
    const area = $("flow-area");
    area.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(flowUrl(), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
      });
      const body = await response.json();
      if (!response.ok) throw new Error((body.error && body.error.message) || t("error_generic"));
      page.flowBody = body;
      page.flowState = body.state;
      $("flow-list").hidden = true;
      if (body.result) renderResult(body, moveFocus);
      else renderStep(body, moveFocus);
    } catch (error) {
      area.textContent = "";
      area.append(el("p", { className: "error-text", role: "alert" }, error.message));
    } finally {
      area.setAttribute("aria-busy", "false");
    }
  }

  function answerInput(step, id, describedBy, value) {
    // Returns [control, read()] for a step type; choices become radio buttons (or a
    // select when there are many), amounts a text box that accepts "$52,000" or "52.000".
    const invalid = step.error ? "true" : null;
    const listed = step.type === "lookup"; // found options are always a list: each has a detail
    if (step.options && step.options.length > 8 && !listed) {
      const select = el("select", { id: id, name: "answer", "aria-describedby": describedBy, "aria-invalid": invalid });
      select.append(el("option", { value: "" }, t("choose")));
      for (const option of step.options) {
        select.append(el("option", { value: String(option.value), selected: String(option.value) === String(value) }, option.label));
      }
      return [select, () => select.value];
    }
    if (step.options) {
      const list = el("ul", { className: "choices" });
      step.options.forEach((option, index) => {
        const input = el("input", {
          type: "radio", name: id, id: id + "-" + index, value: String(option.value),
          checked: value !== undefined && String(option.value) === String(value),
        });
        const text = option.detail
          ? el("span", { className: "option-text" }, [el("span", {}, option.label), el("span", { className: "option-detail" }, option.detail)])
          : el("span", {}, option.label);
        list.append(el("li", {}, el("label", { for: id + "-" + index }, [input, text])));
      });
      const read = () => {
        const chosen = list.querySelector("input:checked");
        return chosen ? chosen.value : "";
      };
      return [list, read];
    }
    // Dates are a text box (not a date picker) so typing works the same in every browser,
    // language and screen reader; the server reads 2007-05-01, 05/01/2007 or 01.05.2007.
    const attrs = {
      id: id, name: "answer", type: "text",
      "aria-describedby": describedBy, "aria-invalid": invalid, autocomplete: "off",
      value: value === undefined || value === null ? null : String(value),
    };
    if (step.type === "money") attrs.inputmode = "decimal";
    if (step.type === "integer") attrs.inputmode = "numeric";
    // A list of numbers is shown and sent back with semicolons ("12; 14"), never "12,14".
    if (Array.isArray(value)) attrs.value = value.join("; ");
    const input = el("input", attrs);
    if (step.type === "money") {
      return [el("div", { className: "money" }, [el("span", { "aria-hidden": "true" }, "$"), input]), () => input.value];
    }
    return [input, () => input.value];
  }

  function renderStep(body, moveFocus) {
    const step = body.step;
    const area = $("flow-area");
    area.textContent = "";
    const id = "answer-" + step.id;
    const described = [];
    const extras = [];
    if (step.error) {
      extras.push(el("p", { id: "step-error", className: "error-text", role: "alert" }, step.error));
      described.push("step-error");
    }
    if (step.hint) {
      extras.push(el("p", { id: "step-hint", className: "hint-text", role: "status" }, step.hint));
      described.push("step-hint");
    }
    const help = {
      date: "date_help", money: "money_help", integer: "integer_help", integer_list: "integer_list_help",
    }[step.type] || (step.type === "lookup" && !step.options ? "lookup_help" : null);
    if (help) {
      extras.push(el("p", { id: "step-help", className: "help" }, t(help)));
      described.push("step-help");
    }
    const [control, read] = answerInput(step, id, described.join(" ") || null);
    const grouped = Boolean(step.options) && (step.options.length <= 8 || step.type === "lookup");
    const question = el("p", { className: "question", id: "step-question", tabindex: "-1" }, step.question);
    const labelled = grouped
      ? el("fieldset", { "aria-describedby": described.join(" ") || null }, [
          el("legend", { className: "visually-hidden" }, step.question), control])
      : el("div", {}, [el("label", { for: id, className: "visually-hidden" }, step.question), control]);
    const form = el("form", { className: "step", id: "step-form", "data-step": step.id, novalidate: true, "aria-labelledby": "step-question" }, [
      el("p", { className: "progress" }, t("question_n", { n: step.number })),
      question,
      ...extras,
      labelled,
      el("details", {}, [el("summary", {}, t("why")), el("p", {}, linkify(step.why))]),
      el("details", {}, [el("summary", {}, t("where")), el("p", {}, linkify(step.where_to_find))]),
      el("div", { className: "actions" }, [
        el("button", { type: "submit", className: "primary", id: "next-button" }, t("next")),
        el("button", { type: "button", className: "secondary", id: "dont-know" }, t("dont_know")),
      ]),
      searchAgain(step),
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const reply = read();
      if (!reply.trim()) {
        const retry = Object.assign({}, step, { error: t("answer_required"), hint: null });
        renderStep(Object.assign({}, body, { step: retry }), true);
        return;
      }
      flowCall({ state: page.flowState, reply: reply }, true);
    });
    form.querySelector("#dont-know").addEventListener("click", () => {
      flowCall({ state: page.flowState, reply: "I don't know" }, true);
    });
    area.append(...flowHeader(body).filter(Boolean), form);
    if (moveFocus) {
      // After an error, put the user back in the answer; otherwise announce the question.
      const target = step.error ? form.querySelector("input, select") : question;
      (target || question).focus();
    }
  }

  // While choosing among the options a search found: search again in other words. The
  // server treats it as a correction of the step, so a short number is never a choice.
  function searchAgain(step) {
    if (step.type !== "lookup" || !step.options) return null;
    const input = el("input", { id: "search-again", type: "text", name: "search", autocomplete: "off", value: step.query || null });
    const button = el("button", { type: "button", className: "secondary", id: "search-again-button" }, t("search_again"));
    button.addEventListener("click", () => {
      const text = input.value.trim();
      if (!text) {
        input.focus();
        return;
      }
      flowCall({ state: page.flowState, correct: { field: step.field, value: text } }, true);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        button.click();
      }
    });
    return el("div", { className: "search-again" }, [
      el("label", { for: "search-again" }, t("search_again_label")), input, button,
    ]);
  }

  function locale() {
    return { en: "en-US", es: "es-ES", fr: "fr-FR", de: "de-DE" }[page.lang] || "en-US";
  }

  // A number or text of a view as the reader expects it: dollars, percent, a count.
  function formatFigure(value, unit) {
    if (value === null || value === undefined) return "—";
    if (typeof value !== "number") return String(value);
    if (unit === "USD") {
      return new Intl.NumberFormat(locale(), { style: "currency", currency: "USD", maximumFractionDigits: 0 }).format(value);
    }
    const text = new Intl.NumberFormat(locale(), { maximumFractionDigits: 2, useGrouping: true }).format(value);
    if (unit === "%") return page.lang === "en" ? text + "%" : text + "\u00a0%";
    return unit ? text + " " + unit : text;
  }

  function viewTable(columns, rows, caption, id) {
    const table = el("table", { id: id }, [
      caption ? el("caption", {}, caption) : null,
      el("thead", {}, el("tr", {}, columns.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell) =>
        el("td", { className: typeof cell === "number" ? "amount" : null }, formatFigure(cell, ""))
      )))),
    ]);
    return el("div", { className: "table-scroll", role: "region", "aria-label": caption || columns.join(", "), tabindex: "0" }, table);
  }

  // Any tool view (figures, chart, tables, notes, sources), as a list of nodes. Ids come
  // from the figure keys (figure-KEY) and the table order (view-table-N).
  function renderView(view, options) {
    const opts = Object.assign({ sentences: true, notes: true }, options || {});
    const nodes = [];
    const figures = view.figures || [];
    if (figures.length) {
      nodes.push(el("dl", { className: "figures" }, figures.map((f) => el("div", { className: "figure" }, [
        el("dt", {}, f.label),
        el("dd", { id: "figure-" + String(f.key).replace(/[^a-z0-9_-]/gi, "-") }, formatFigure(f.value, f.unit)),
        f.note ? el("dd", { className: "help" }, f.note) : null,
      ]))));
    }
    if (opts.sentences && (view.sentences || []).length) {
      nodes.push(el("div", { className: "explanation" }, view.sentences.map((p) => el("p", {}, linkify(p)))));
    }
    // A chart: the server's SVG where the view carries one, and always the plotted rows
    // as a table for screen readers (the chat's renderChart shares safeSvg and chartTable).
    const chart = view.chart;
    if (chart) {
      nodes.push(el("figure", { className: "chart" }, [
        chart.svg ? safeSvg(chart.svg) : null,
        el("figcaption", {}, [chart.title || "", chart.source ? el("span", { className: "help" }, " " + chart.source) : null]),
        chartTable(chart),
      ]));
      if (chart.csv_url && chart.csv_url.startsWith("/v1/data/")) {
        nodes.push(el("p", {}, el("a", { href: chart.csv_url, download: "" }, t("chart_csv"))));
      }
    }
    const tables = view.tables || [];
    if (tables.length) {
      nodes.push(el("h3", {}, t("details")));
      tables.forEach((table, index) => {
        nodes.push(viewTable(table.columns, table.rows, table.caption, "view-table-" + (index + 1)));
      });
    }
    if (opts.notes && (view.notes || []).length) {
      nodes.push(el("h3", {}, t("notes")), el("ul", {}, view.notes.map((n) => el("li", {}, linkify(n)))));
    }
    const sources = (view.sources || []).filter((s) => /^https?:\/\//.test(s.url || ""));
    if (sources.length) {
      nodes.push(el("h3", {}, t("sources")), el("ul", { className: "view-sources" }, sources.map((s) =>
        el("li", {}, [el("a", { href: s.url, rel: "noopener noreferrer" }, s.title || s.url),
          [s.licence, s.release].filter(Boolean).length ? " (" + [s.licence, s.release].filter(Boolean).join(", ") + ")" : null]))));
    }
    return nodes;
  }

  function renderResult(body, moveFocus) {
    const result = body.result;
    const view = result.view || {};
    const area = $("flow-area");
    area.textContent = "";
    const heading = el("h3", { id: "result-heading", tabindex: "-1" }, view.title || t("your_result"));
    // The flow's notes already hold the view's after its own assumptions.
    const shown = renderView(view, { sentences: !(result.explanation || []).length, notes: false });
    // Without the flow's own explanation, the view's sentences say the result in its place.
    const said = (n) => n.tagName === "DIV" && n.className === "explanation";
    const figures = shown.filter((n) => n.tagName === "DL");
    const rest = shown.filter((n) => n.tagName !== "DL" && !said(n));
    const explanation = (result.explanation || []).length
      ? el("div", { className: "explanation" }, result.explanation.map((p) => el("p", {}, linkify(p))))
      : shown.find(said) || null;
    const steps = (result.next_steps || []).length
      ? [el("h3", {}, t("next_steps")), el("ol", {}, result.next_steps.map((s) => el("li", {}, linkify(s))))] : [];
    const notes = (result.notes || []).length
      ? [el("h3", {}, t("notes")), el("ul", {}, result.notes.map((n) => el("li", {}, linkify(n))))] : [];
    const answers = el("ul", { className: "answers" });
    for (const row of result.answers || []) answers.append(answerRow(row));
    const actions = [el("button", { type: "button", className: "secondary", id: "start-over" }, t("start_over"))];
    if (page.flows.length > 1) {
      actions.push(el("button", { type: "button", className: "secondary", id: "other-flows" }, t("other_flows")));
    }
    area.append(el("section", { className: "result", "aria-labelledby": "result-heading" }, [
      el("p", { className: "flow-title" }, body.title || ""),
      heading, ...figures, explanation, ...steps, ...notes, ...rest,
      el("h3", {}, t("your_answers")),
      el("p", { className: "help" }, t("change_help")),
      answers,
      el("div", { className: "actions" }, actions),
    ]));
    area.querySelector("#start-over").addEventListener("click", () => {
      page.flowState = null;
      flowCall({ state: null, reply: null }, true);
    });
    const other = area.querySelector("#other-flows");
    if (other) other.addEventListener("click", showFlowList);
    if (moveFocus) heading.focus();
  }

  function answerRow(row) {
    const change = el("button", { type: "button", className: "link-button", "aria-label": t("change") + ": " + row.label }, t("change"));
    const item = el("li", {}, el("div", { className: "row" }, [
      el("span", {}, [el("span", { className: "label" }, row.label + ": "), row.display,
        row.assumed ? el("span", { className: "note-assumed" }, " (" + t("assumed") + ")") : null]),
      change,
    ]));
    change.addEventListener("click", () => {
      const id = "fix-" + row.field.replace(/[^a-z0-9]/gi, "-");
      // A lookup's answer is changed by searching again: its box holds the text searched for.
      const [control, read] = answerInput({ type: row.type, options: row.options }, id, null, row.value);
      const grouped = Boolean(row.options) && row.options.length <= 8;
      const form = el("form", { novalidate: true }, [
        grouped ? el("fieldset", {}, [el("legend", {}, row.label), control])
          : el("div", {}, [el("label", { for: id }, row.label), control]),
        el("div", { className: "actions" }, [
          el("button", { type: "submit", className: "primary" }, t("save")),
          el("button", { type: "button", className: "secondary", "data-cancel": "1" }, t("cancel")),
        ]),
      ]);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        flowCall({ state: page.flowState, correct: { field: row.field, value: read() } }, true);
      });
      form.querySelector("[data-cancel]").addEventListener("click", () => {
        form.remove();
        change.hidden = false;
        change.focus();
      });
      change.hidden = true;
      item.append(form);
      const first = form.querySelector("input, select");
      if (first) first.focus();
    });
    return item;
  }

  // --- wiring ------------------------------------------------------------------------------

  function wire() {
    document.querySelectorAll("[data-lang]").forEach((button) => {
      button.addEventListener("click", () => setLanguage(button.getAttribute("data-lang")));
    });
    $("assistant").addEventListener("change", (event) => chooseAssistant(event.target.value));
    $("chat-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const box = $("question");
      const question = box.value;
      box.value = "";
      ask(question);
    });
    $("question").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("chat-form").requestSubmit();
      }
    });
  }

  async function init() {
    wire();
    const preferred = (navigator.language || "en").slice(0, 2).toLowerCase();
    await setLanguage(LANGUAGES.includes(preferred) ? preferred : "en");
    await loadAssistants();
    document.body.setAttribute("data-ready", "true");
  }

  document.addEventListener("DOMContentLoaded", init);
})();
