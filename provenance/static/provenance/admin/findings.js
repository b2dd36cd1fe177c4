/* An item's finding lines in the admin: sort the read-only table; quick entry on the edit table.
 * No inline script (CSP): the lookup URL comes from data-lookup-url on .findings-entry.
 * Quick entry: a typed part number is looked up (maker, maker's country and category fill in when the
 * catalogue knows it); choosing a maker fills its HQ country; the date code is decoded as it is typed
 * ("2022, week 35") and an unreadable one is flagged. The server applies the same rules on save. */
"use strict";
(function () {
  // ---- sorting the read-only table ----
  function sortTable(table, column, kind, button) {
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const descending = button.dataset.order === "asc";
    const value = (row) => {
      const cell = row.cells[column];
      if (kind === "num") return Number(cell.dataset.value || cell.textContent) || 0;
      return cell.textContent.trim().toLowerCase();
    };
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    table.querySelectorAll("button.sort").forEach((other) => delete other.dataset.order);
    button.dataset.order = descending ? "desc" : "asc";
    body.append(...rows);
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("table.findings-table button.sort");
    if (!button) return;
    const cell = button.closest("th");
    sortTable(button.closest("table"), cell.cellIndex, button.dataset.sort, button);
  });

  // ---- quick entry ----
  const entry = () => document.querySelector(".findings-entry");
  const field = (row, name) => row.querySelector(`[name$="-${name}"]`);
  const timers = new WeakMap();

  function lookup(params) {
    const url = new URL(entry().dataset.lookupUrl, window.location.href);
    Object.entries(params).forEach(([key, value]) => url.searchParams.set(key, value));
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then((r) => r.json());
  }

  function note(input, cls, text, warn) {
    let span = input.parentNode.querySelector(`.${cls}`);
    if (!span) {
      span = document.createElement("span");
      span.className = cls;
      input.parentNode.append(span);
    }
    span.textContent = text;
    span.classList.toggle("warn", Boolean(warn));
  }

  function choose(select, id, label) {
    if (!select || !id) return;
    if (!select.querySelector(`option[value="${id}"]`)) select.append(new Option(label, id, true, true));
    select.value = String(id);
    if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
    else select.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function fillCountry(row, country) {
    const input = field(row, "country");
    if (input && country && (!input.value || input.dataset.filled === "1")) {
      input.value = country;
      input.dataset.filled = "1";
    }
  }

  function decodeDate(input) {
    const row = input.closest("tr");
    clearTimeout(timers.get(input));
    if (!input.value.trim()) return note(input, "date-decoded", "", false);
    timers.set(input, setTimeout(() => {
      lookup({ date_code: input.value }).then((data) => {
        const code = data.date_code;
        if (row.isConnected && code) note(input, "date-decoded", code.label, !code.readable);
      });
    }, 250));
  }

  function findPart(input) {
    const row = input.closest("tr");
    const maker = field(row, "manufacturer");
    const params = { part_number: input.value };
    if (maker && maker.value) params.manufacturer = maker.value;
    if (!input.value.trim()) return note(input, "part-note", "", false);
    lookup(params).then((data) => {
      const parts = data.parts;
      if (!parts) return;
      note(input, "part-note", parts.note, parts.found.length !== 1);
      if (parts.found.length !== 1) return;
      const part = parts.found[0];
      if (maker && !maker.value) choose(maker, part.manufacturer.id, part.manufacturer.name);
      fillCountry(row, part.manufacturer.country);
      const category = field(row, "category");
      if (category && !category.value && part.category) choose(category, part.category.id, part.category.name);
    });
  }

  function makerChosen(select) {
    const row = select.closest("tr");
    if (!row || !select.value) return;
    lookup({ manufacturer: select.value }).then((data) => {
      if (data.manufacturer) fillCountry(row, data.manufacturer.country);
    });
    const part = field(row, "part_number");
    if (part && part.value) findPart(part);
  }

  document.addEventListener("input", (event) => {
    if (event.target.matches(".findings-entry input[name$='-date_code']")) decodeDate(event.target);
    if (event.target.matches(".findings-entry input[name$='-country']")) delete event.target.dataset.filled;
  });
  document.addEventListener("change", (event) => {
    if (event.target.matches(".findings-entry input[name$='-part_number']")) findPart(event.target);
  });
  // select2 (the admin's autocomplete) announces a choice through jQuery, not a native event.
  window.addEventListener("load", () => {
    if (!entry()) return;
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("change", ".findings-entry select[name$='-manufacturer']", function () {
        makerChosen(this);
      });
    }
    document.querySelectorAll(".findings-entry input[name$='-date_code']").forEach((input) => {
      if (input.value) decodeDate(input);
    });
  });
})();
