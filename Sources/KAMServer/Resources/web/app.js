// KAM's web page script: plain JavaScript, no build step. Reading works without it; with it, the buttons call the
// same JSON routes as any app, with the session cookie and the session's CSRF token in `X-CSRF-Token`.
"use strict";

(function () {
  const csrfNode = document.getElementById("csrf");
  const csrf = csrfNode ? csrfNode.dataset.token : "";
  const statusNode = document.getElementById("status");

  function say(message) {
    if (!statusNode) return;
    statusNode.textContent = message;
    window.clearTimeout(say.timer);
    say.timer = window.setTimeout(() => { statusNode.textContent = ""; }, 6000);
  }

  async function api(method, path, body, accept) {
    const response = await fetch(path, {
      method: method,
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": accept || "application/json",
        "X-CSRF-Token": csrf,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (accept === "text/event-stream" && response.ok) return response;
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (_) { json = null; }
    if (!response.ok) {
      const message = json && json.error ? json.error.message : "the server answered " + response.status;
      throw new Error(message);
    }
    return json;
  }

  function reloadSoon(message) {
    say(message);
    window.setTimeout(() => window.location.reload(), 400);
  }

  function field(form, name) {
    const input = form.querySelector("[name='" + name + "']");
    return input ? input.value.trim() : "";
  }

  // Drafts: approve, reject with a reason, edit in place, regenerate, thumbs, mark sent.
  async function draftAction(id, act, form) {
    const base = "/drafts/" + encodeURIComponent(id);
    if (act === "approve") { await api("POST", base + "/approve", {}); return reloadSoon("Approved " + id); }
    if (act === "reject") {
      const reason = field(form, "reason");
      if (!reason) { say("Type a reason to reject"); const input = form.querySelector("[name='reason']"); if (input) input.focus(); return; }
      await api("POST", base + "/reject", { reason: reason });
      return reloadSoon("Rejected " + id);
    }
    if (act === "edit") {
      const area = form.querySelector("textarea");
      const save = form.querySelector("[data-act='save']");
      const label = form.querySelector("label[for='" + area.id + "']");
      area.hidden = false; save.hidden = false; if (label) label.hidden = false; area.focus();
      return;
    }
    if (act === "save") {
      const area = form.querySelector("textarea");
      await api("PATCH", base, { body: area.value });
      return reloadSoon("Saved the edit of " + id);
    }
    if (act === "regenerate") { await api("POST", base + "/regenerate", {}); return reloadSoon("Regenerated " + id); }
    if (act === "up" || act === "down") {
      const reason = field(form, "why");
      await api("POST", base + "/feedback", reason ? { rating: act, reason: reason } : { rating: act });
      return say("Thanks: feedback recorded");
    }
    if (act === "sent") { await api("POST", base + "/sent", {}); return reloadSoon("Marked " + id + " sent"); }
  }

  // Suggestions: accept (creates the task or pending draft), dismiss with a reason (a kind and an optional note),
  // snooze three days.
  async function suggestionAction(id, act, form) {
    const base = "/suggestions/" + encodeURIComponent(id);
    if (act === "accept") { await api("POST", base + "/accept", {}); return reloadSoon("Accepted: see the new task or draft"); }
    if (act === "dismiss") {
      const kind = field(form, "kind") || "other";
      const note = field(form, "reason");
      await api("POST", base + "/dismiss", note ? { reason: kind, note: note } : { reason: kind });
      return reloadSoon("Dismissed");
    }
    if (act === "snooze") {
      const until = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
      await api("POST", base + "/snooze", { until: until });
      return reloadSoon("Snoozed until " + until);
    }
  }

  function selectedDrafts() {
    return Array.from(document.querySelectorAll("[data-select]:checked")).map((box) => box.dataset.select);
  }

  async function bulk(act, form) {
    const ids = selectedDrafts();
    if (ids.length === 0) { say("Select drafts first"); return; }
    const body = act === "bulk-reject" ? { ids: ids, reason: field(form, "reason") || undefined } : { ids: ids };
    const result = await api("POST", act === "bulk-reject" ? "/drafts/bulk/reject" : "/drafts/bulk/approve", body);
    const failed = (result.outcomes || []).filter((outcome) => !outcome.succeeded);
    reloadSoon((ids.length - failed.length) + " done" + (failed.length ? ", " + failed.length + " refused" : ""));
  }

  // The assistant: POST /drafts with Accept: text/event-stream; the body appears as the model writes it.
  async function generate(form) {
    const section = form.closest("[data-client]");
    const client = section.dataset.client;
    const stream = section.querySelector("[data-stream]");
    const target = section.querySelector("[data-stream-body]");
    stream.hidden = false;
    target.textContent = "";
    const response = await api("POST", "/drafts", { client: client, kind: field(form, "kind"), hint: field(form, "hint") || undefined }, "text/event-stream");
    if (!response.ok) throw new Error("the server answered " + response.status);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    let stored = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        const payload = data ? JSON.parse(data) : {};
        if (name === "delta") target.textContent += payload.text;
        else if (name === "restart") target.textContent = "";
        else if (name === "draft") stored = payload;
        else if (name === "error") throw new Error(payload.error ? payload.error.message : "generation failed");
      }
    }
    if (stored) reloadSoon("Stored draft " + stored.id + " for review");
  }

  // Client intelligence is a stored request (POST /requests), answered in the background and polled; once done
  // the page reloads and its panel shows the stored answer, as it will for anyone who may see the client.
  async function intelligence(form) {
    const section = form.closest("section");
    const out = section.querySelector("[data-intelligence-result]");
    out.textContent = "Queued…";
    let request = await api("POST", "/requests", { type: "client-intelligence", client: form.dataset.intelligence });
    for (let polls = 0; request.status === "queued" || request.status === "running"; polls++) {
      if (polls >= 600) throw new Error("the intelligence request " + request.id + " is still " + request.status + "; reload later");
      out.textContent = request.status === "running" ? "Running…" : "Queued…";
      await new Promise((resolve) => window.setTimeout(resolve, 500));
      request = await api("GET", "/requests/" + encodeURIComponent(request.id));
    }
    if (request.status === "failed") {
      out.textContent = "";
      throw new Error(request.error ? request.error.message : "the intelligence request failed");
    }
    reloadSoon("Client intelligence stored");
  }

  // An element with its text (set as text, never markup) and class.
  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // A compact list, an item each: `fill(item, value)` fills it, else the value is its text.
  function listOf(values, fill) {
    const list = element("ul", undefined, "compact");
    for (const value of values) {
      const item = element("li", fill ? undefined : value);
      if (fill) fill(item, value);
      list.append(item);
    }
    return list;
  }

  // The campaign import form: its report (a chosen file is read into the text box) goes to POST /campaigns/import;
  // what was stored, or each refused row at its file:line (nothing is stored then; the API's message has a line
  // each), shows under the form in its status and alert regions.
  async function importCampaigns(form) {
    const section = form.closest("section");
    const errorNode = section.querySelector("#import-error");
    const resultNode = section.querySelector("#import-result");
    const refuse = (lines) => errorNode.replaceChildren(element("p", "The report was not imported:"), listOf(lines));
    errorNode.textContent = "";
    resultNode.textContent = "";
    const csv = form.querySelector("textarea[name='csv']").value;
    if (!csv.trim()) return refuse(["no report arrived: choose the report's file or paste its text, then import again"]);
    const body = { format: field(form, "vendor"), csv: csv };
    if (field(form, "file")) body.file = field(form, "file");
    let summary;
    try {
      summary = await api("POST", "/campaigns/import", body);
    } catch (error) {
      return refuse(error.message.split("\n").filter((line) => line.trim()));
    }
    const heading = element("h3", "Imported " + summary.file);
    heading.id = "imported-h";
    const campaigns = listOf(summary.campaigns, (item, campaign) => {
      const link = element("a", campaign.name);
      link.href = "/app/campaigns/" + encodeURIComponent(campaign.id);
      item.append(link, ": " + campaign.outcome + ", " + campaign.recipients + " recipients");
    });
    const figures = element("p", summary.recipients + " recipients: " + summary.linked_to_contacts + " linked to contacts, " +
      summary.linked_by_domain + " by domain, " + summary.unlinked + " unlinked (" + summary.free_mail + " free mail); " +
      summary.engaged_clients + " clients engaged.");
    const reload = element("a", "Show the updated list");
    reload.href = "/app/campaigns";
    resultNode.append(heading, campaigns, figures, reload);
  }

  // "Explain this campaign": POST /campaigns/{id}/insights runs analysis.campaign-insights for the signed-in user
  // (under their budgets); the summary, each tier's verdict and the recommendations show in the section, a refusal
  // (a budget's, the provider's) in its alert region.
  async function explainCampaign(form) {
    const section = form.closest("section");
    const errorNode = section.querySelector("[data-insights-error]");
    const out = section.querySelector("[data-insights-result]");
    const button = form.querySelector("button");
    errorNode.textContent = "";
    out.textContent = "Asking the model…";
    button.disabled = true;
    let run;
    try {
      run = await api("POST", "/campaigns/" + encodeURIComponent(form.dataset.campaignInsights) + "/insights");
    } catch (error) {
      out.textContent = "";
      errorNode.textContent = "The campaign could not be explained: " + error.message;
      return;
    } finally {
      button.disabled = false;
    }
    const segments = listOf(run.output.segments, (item, segment) => {
      item.dataset.verdict = segment.verdict;
      item.append(element("strong", segment.segment), ": " + segment.verdict.replace(/-/g, " ") + ". " + segment.why);
    });
    const ran = run.prompt + " · " + (run.is_offline ? "offline answer (no model called)" : run.provider + " " + run.model) +
      " · " + run.usage.input_tokens + " tokens in, " + run.usage.output_tokens + " out" +
      (run.cost === undefined ? "" : " · $" + (run.cost / 1e12).toFixed(4));
    out.replaceChildren(
      element("p", run.output.summary), element("h3", "By client tier"), segments,
      element("h3", "What to try next"), listOf(run.output.recommendations), element("p", ran, "meta"));
  }

  function guard(promise) {
    promise.catch((error) => say("Refused: " + error.message));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (!button) return;
    const form = button.closest("form");
    const act = button.dataset.act;
    if (act === "help") { toggleHelp(); return; }
    if (!form) return;
    if (form.dataset.draftActions) guard(draftAction(form.dataset.draftActions, act, form));
    else if (form.dataset.draftFeedback) guard(draftAction(form.dataset.draftFeedback, act, form));
    else if (form.dataset.suggestionActions) guard(suggestionAction(form.dataset.suggestionActions, act, form));
    else if (form.hasAttribute("data-bulk")) guard(bulk(act, form));
    else if (form.dataset.intelligence) guard(intelligence(form));
    else if (form.dataset.campaignInsights) guard(explainCampaign(form));
    else if (form.dataset.notification) guard(api("POST", "/inbox/" + encodeURIComponent(form.dataset.notification) + "/read", {}).then(() => reloadSoon("Marked read")));
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.generate) { event.preventDefault(); guard(generate(form)); }
    else if (form.hasAttribute("data-campaign-import")) { event.preventDefault(); guard(importCampaigns(form)); }
    else if (form.dataset.draftActions || form.dataset.suggestionActions || form.hasAttribute("data-bulk") || form.dataset.draftFeedback) event.preventDefault();
  });

  // The campaign import form sends the report's text: a chosen file is read into its text box (and its name into
  // the form's file field, which names it in a refused row's file:line).
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("[data-report-file]") || !input.files || !input.files[0]) return;
    const form = input.closest("form");
    const file = input.files[0];
    // The section's own status and alert regions (inside the page's main landmark) say what became of the file.
    const resultNode = form.closest("section").querySelector("#import-result");
    const errorNode = form.closest("section").querySelector("#import-error");
    file.text().then((text) => {
      form.querySelector("textarea[name='csv']").value = text;
      form.querySelector("[data-file-name]").value = file.name;
      errorNode.textContent = "";
      resultNode.textContent = "Read " + file.name + ": ready to import";
    }, (error) => { errorNode.textContent = "Could not read " + file.name + ": " + error.message; });
  });

  // The help is a modal dialog: it keeps focus inside while open, Esc or Close shuts it and the
  // browser returns focus to the draft the user was on.
  function toggleHelp() {
    const help = document.getElementById("help");
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  // Keyboard: on a focused draft, a approves, r rejects (with its reason), e edits; ? shows the help.
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target.matches("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (target.closest && target.closest("dialog[open]")) return;
    if (event.key === "?") { toggleHelp(); event.preventDefault(); return; }
    const draft = target.closest ? target.closest("article.draft") : null;
    if (!draft || draft !== target) return;
    const form = draft.querySelector("[data-draft-actions]");
    if (!form) return;
    const act = { a: "approve", r: "reject", e: "edit" }[event.key];
    if (!act) return;
    event.preventDefault();
    guard(draftAction(draft.dataset.draft, act, form));
  });
})();
