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
    else if (form.dataset.notification) guard(api("POST", "/inbox/" + encodeURIComponent(form.dataset.notification) + "/read", {}).then(() => reloadSoon("Marked read")));
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.generate) { event.preventDefault(); guard(generate(form)); }
    else if (form.dataset.draftActions || form.dataset.suggestionActions || form.hasAttribute("data-bulk") || form.dataset.draftFeedback) event.preventDefault();
  });

  // The campaign import form posts the report's text: a chosen file is read into its text box (and its name into
  // the form), so the server reads one plain form.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!input.matches("[data-report-file]") || !input.files || !input.files[0]) return;
    const form = input.closest("form");
    const file = input.files[0];
    file.text().then((text) => {
      form.querySelector("textarea[name='csv']").value = text;
      form.querySelector("[data-file-name]").value = file.name;
      say("Read " + file.name + ": ready to import");
    }, (error) => say("Could not read " + file.name + ": " + error.message));
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
