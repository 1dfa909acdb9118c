/* Playbook editor: a form for each content file, made from the JSON Schema of its kind.
 *
 * The document loaded from the server is the truth: a control writes into it only when the user changes it,
 * so untouched values (their types, absent keys, unknown keys) go back exactly as they came.
 * Every element is built with textContent; the only HTML inserted is the guide preview, sanitised by the server.
 */
(function () {
  "use strict";

  const BASE = "/__playbook__/edit/";
  const TOKEN_KEY = "playbook-edit-token";
  const NO_TOKEN = "Open the editor with the link printed in the terminal where `playbook serve --edit` runs.";
  const KIND_LABELS = [
    ["playbook", "Settings"], ["program", "Programs"], ["worksheet", "Worksheets"],
    ["checklist", "Checklists"], ["guide", "Guides"], ["cohort", "Cohorts"],
  ];
  const NEW_KINDS = [["month", "New month"], ["checklist", "New checklist"], ["worksheet", "New worksheet"], ["guide", "New guide"]];

  const state = {
    path: "", at: [], file: null, defs: {}, choices: {}, doc: null, original: null, body: undefined,
    digest: "", saved: "", saving: false, previewTurn: 0, previewTimer: 0,
  };

  /* ---------- small helpers ---------- */

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  /* Text with `code` spans, as the schema's descriptions write them. */
  function prose(text) {
    return String(text).split("`").map((part, i) => (i % 2 ? el("code", { text: part }) : part));
  }

  function clone(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }

  function getAt(root, path) {
    let value = root;
    for (const key of path) {
      if (value === null || typeof value !== "object") return undefined;
      value = value[key];
    }
    return value;
  }

  function hasAt(root, path) {
    const parent = getAt(root, path.slice(0, -1));
    return parent !== null && typeof parent === "object" && Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]);
  }

  function setAt(path, value) {
    let node = state.doc;
    for (let i = 0; i < path.length - 1; i++) {
      if (node[path[i]] === null || typeof node[path[i]] !== "object") node[path[i]] = typeof path[i + 1] === "number" ? [] : {};
      node = node[path[i]];
    }
    node[path[path.length - 1]] = value;
  }

  /* Remove a key, and the objects it leaves empty that the file did not have. */
  function deleteAt(path) {
    const parent = getAt(state.doc, path.slice(0, -1));
    if (parent && typeof parent === "object" && !Array.isArray(parent)) delete parent[path[path.length - 1]];
    for (let up = path.slice(0, -1); up.length; up = up.slice(0, -1)) {
      const value = getAt(state.doc, up);
      const empty = value && typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length;
      const holder = getAt(state.doc, up.slice(0, -1));
      if (!empty || hasAt(state.original, up) || Array.isArray(holder)) break;
      delete holder[up[up.length - 1]];
    }
  }

  /* An emptied field: back to what the file had if that was empty too (null, "", []), else the key goes. */
  function writeEmpty(path, required, empty) {
    const before = getAt(state.original, path);
    const wasEmpty = hasAt(state.original, path) &&
      (before === null || before === "" || (Array.isArray(before) && !before.length));
    if (wasEmpty) setAt(path, clone(before));
    else if (Array.isArray(getAt(state.doc, path.slice(0, -1)))) setAt(path, empty === undefined ? null : empty);
    else if (required && empty !== undefined) setAt(path, empty);
    else deleteAt(path);
  }

  function fieldId(path) {
    return "f-" + path.map((key) => String(key).replace(/[^A-Za-z0-9_]/g, (c) => "_" + c.charCodeAt(0).toString(16))).join("-");
  }

  function sentence(title) {
    const words = String(title).split(" ");
    return words.length > 1 && words.every((w) => /^[A-Z][a-z]*$/.test(w))
      ? words[0] + " " + words.slice(1).join(" ").toLowerCase()
      : String(title);
  }

  function humanize(key) {
    const text = String(key).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function pointer(text) {
    return (text || "").split("/").slice(1).map((part) => {
      const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
      return /^\d+$/.test(key) ? Number(key) : key;
    });
  }

  function atText() {
    return state.at.map((key) => "/" + String(key).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
  }

  function editUrl(path, at) {
    const query = new URLSearchParams({ path });
    if (at) query.set("at", at);
    return BASE + "?" + query.toString();
  }

  /* ---------- token and API ---------- */

  function takeToken() {
    const url = new URL(location.href);
    const token = url.searchParams.get("edit");
    if (!token) return;
    try { localStorage.setItem(TOKEN_KEY, token); } catch (e) { /* storage off: the token lives for this page only */ state.token = token; }
    url.searchParams.delete("edit");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  function token() {
    try { return localStorage.getItem(TOKEN_KEY) || state.token || ""; } catch (e) { return state.token || ""; }
  }

  class ApiError extends Error {
    constructor(status, data) {
      super((data && data.message) || "The editor's server answered " + status + ".");
      this.status = status;
      this.data = data || {};
    }
  }

  async function api(name, body) {
    const headers = { "X-Playbook-Token": token() };
    const init = { method: body === undefined ? "GET" : "POST", headers, cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(BASE + "api/" + name, init);
    } catch (e) {
      throw new ApiError(0, { message: "The editor's server does not answer: is `playbook serve --edit` still running?" });
    }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (response.status === 403) throw new ApiError(403, { message: NO_TOKEN });
    if (!response.ok) throw new ApiError(response.status, data);
    return { status: response.status, data };
  }

  /* ---------- schemas ---------- */

  function resolve(schema) {
    let out = schema || {};
    for (let guard = 0; out.$ref && guard < 20; guard++) {
      const name = out.$ref.replace(/^#\/\$defs\//, "");
      const rest = Object.assign({}, out);
      delete rest.$ref;
      out = Object.assign({}, state.defs[name] || {}, rest, { defName: name });
    }
    return out;
  }

  /* `anyOf [X, {type: null}]`: X, with the outer title and description; null when it is not that shape. */
  function optionalOf(schema) {
    if (!Array.isArray(schema.anyOf)) return null;
    const others = schema.anyOf.filter((branch) => branch.type !== "null");
    if (others.length !== 1 || others.length === schema.anyOf.length) return null;
    const outer = Object.assign({}, schema);
    delete outer.anyOf;
    delete outer.default;
    const inner = resolve(others[0]);
    return Object.assign({}, inner, outer, {
      title: outer.title || inner.title, description: outer.description || inner.description,
    });
  }

  function idOf(schema) { return schema["x-playbook-id-of"]; }

  function shapeOf(schema) {
    if (schema.discriminator && (schema.oneOf || schema.anyOf)) return "variant";
    if (idOf(schema) && Array.isArray(schema.anyOf)) return "owner";
    if (Array.isArray(schema.anyOf)) return "mixed";
    if (schema.const !== undefined) return "const";
    if (Array.isArray(schema.enum)) return "enum";
    if (idOf(schema) && schema.type === "string") return "idselect";
    if (schema.type === "array") return idOf(resolve(schema.items)) ? "idset" : "list";
    if (schema.type === "object" || schema.properties) {
      if (schema.properties) return "object";
      if (schema.propertyNames && idOf(schema.propertyNames) === "role" && schema.additionalProperties) return "rolemap";
      return "opaque";
    }
    if (schema.type === "string") return schema.format === "date" ? "date" : "text";
    if (schema.type === "integer" || schema.type === "number") return "number";
    if (schema.type === "boolean") return "boolean";
    return "opaque";
  }

  function schemaAt(schema, path) {
    let current = resolve(schema);
    for (const key of path) {
      current = optionalOf(current) || current;
      current = resolve(typeof key === "number" ? current.items : (current.properties || {})[key] || current.additionalProperties);
    }
    return current;
  }

  function itemName(schema, listTitle) {
    const items = resolve(schema.items);
    if (items.defName) return sentence(items.defName.replace(/([a-z])([A-Z])/g, "$1 $2"));
    if (items.discriminator) return "Field";
    if (items.type === "integer" || items.type === "number") return "Entry";
    const title = sentence(listTitle || "Item");
    return /[^s]s$/.test(title) ? title.slice(0, -1) : title;
  }

  /* A new list item: the required keys, empty. */
  function blank(schema) {
    schema = resolve(schema);
    const shape = shapeOf(schema);
    if (shape === "variant") {
      const [tag, ref] = Object.entries(schema.discriminator.mapping)[0];
      return Object.assign(blank({ $ref: ref }), { [schema.discriminator.propertyName]: tag });
    }
    if (shape === "object") {
      const out = {};
      for (const key of schema.required || []) {
        const prop = resolve(schema.properties[key]);
        const value = prop.const !== undefined ? prop.const : emptyOf(prop);
        if (value !== undefined) out[key] = value;
      }
      return out;
    }
    return emptyOf(schema);
  }

  function emptyOf(schema) {
    const shape = shapeOf(schema);
    if (shape === "list" || shape === "idset") return [];
    if (shape === "object" || shape === "rolemap" || shape === "variant") return blank(schema);
    if (shape === "number" || shape === "boolean") return undefined;
    return "";
  }

  /* ---------- fields ---------- */

  /* The label, the hint and the control of one value; `opts` has label, required. */
  function field(schema, path, opts) {
    schema = resolve(schema);
    const optional = optionalOf(schema);
    if (optional) schema = optional;
    const required = Boolean(opts.required);
    const label = opts.label || sentence(schema.title || humanize(path[path.length - 1]));
    const id = fieldId(path);
    const hintId = schema.description ? id + "-hint" : null;
    const hint = hintId ? el("p", { class: "hint", id: hintId }, prose(schema.description)) : null;
    const ctx = { schema, path, id, label, required, hint, hintId, itemName: opts.itemName };
    switch (shapeOf(schema)) {
      case "object": return objectField(ctx);
      case "rolemap": return roleMapField(ctx);
      case "list": return listField(ctx);
      case "idset": return idSetField(ctx);
      case "owner": return ownerField(ctx);
      case "variant": return variantField(ctx);
      case "boolean": return booleanField(ctx);
      case "const": return null;
      case "opaque": return opaqueField(ctx);
      default: return simpleField(ctx);
    }
  }

  function labelFor(ctx, target) {
    return el("label", { for: target || ctx.id }, ctx.label,
      ctx.required ? el("span", { class: "req", "aria-hidden": "true", text: " (required)" }) : null);
  }

  function describe(control, ctx) {
    if (ctx.hintId) control.setAttribute("aria-describedby", ctx.hintId);
    if (ctx.required) control.setAttribute("aria-required", "true");
  }

  function jsPattern(pattern) {
    const candidates = [pattern, pattern.replace(/\(\?P</g, "(?<").replace(/\\"/g, "\"").replace(/\[([^\]]*)\]/g, (all, inside) => "[" + inside.replace(/([/()|{}])/g, "\\$1") + "]")];
    for (const candidate of candidates) {
      try { new RegExp(candidate, "v"); return candidate; } catch (e) { /* try the next spelling */ }
    }
    return null;
  }

  function simpleField(ctx) {
    const { schema, path, required } = ctx;
    const shape = shapeOf(schema);
    const has = hasAt(state.doc, path);
    const value = has ? getAt(state.doc, path) : schema.default;
    let control;
    if (shape === "enum" || shape === "idselect") {
      control = el("select", { id: ctx.id });
      const options = shape === "enum"
        ? schema.enum.map((v) => ({ id: String(v), title: String(v) }))
        : (state.choices[idOf(schema)] || []).map((c) => ({ id: c.id, title: c.title && c.title !== c.id ? c.title + " (" + c.id + ")" : c.id }));
      if (!required || value === undefined || value === null || value === "") control.append(el("option", { value: "", text: shape === "enum" ? "(not set)" : "(none)" }));
      for (const option of options) control.append(el("option", { value: option.id, text: option.title }));
      if (value !== undefined && value !== null && value !== "" && !options.some((o) => o.id === String(value))) {
        control.append(el("option", { value: String(value), text: value + " (not found)" }));
      }
      control.value = value === undefined || value === null ? "" : String(value);
      control.addEventListener("change", () => {
        if (control.value === "") writeEmpty(path, required, "");
        else setAt(path, schema.enum ? schema.enum.find((v) => String(v) === control.value) : control.value);
      });
    } else if (shape === "number") {
      control = el("input", {
        id: ctx.id, type: "number", inputmode: schema.type === "integer" ? "numeric" : "decimal",
        min: schema.minimum ?? schema.exclusiveMinimum, max: schema.maximum ?? schema.exclusiveMaximum,
        step: schema.type === "integer" ? "1" : "any",
      });
      control.value = value === undefined || value === null ? "" : String(value);
      control.addEventListener("input", () => {
        if (control.value === "") return writeEmpty(path, required, undefined);
        const number = Number(control.value);
        if (Number.isFinite(number)) setAt(path, number);
      });
    } else {
      const text = value === undefined || value === null ? "" : String(value);
      const long = text.includes("\n") || text.length > 80 || /markdown/i.test(schema.description || "");
      if (shape === "date") control = el("input", { id: ctx.id, type: "date" });
      else if (long) control = el("textarea", { id: ctx.id, rows: Math.min(14, Math.max(2, Math.ceil(text.length / 70) + text.split("\n").length - 1)) });
      else control = el("input", { id: ctx.id, type: "text", spellcheck: schema.pattern ? "false" : null });
      if (schema.pattern && !long) {
        const pattern = jsPattern(schema.pattern);
        if (pattern) control.setAttribute("pattern", pattern);
      }
      if (schema.maxLength) control.setAttribute("maxlength", String(schema.maxLength));
      control.value = text;
      control.addEventListener("input", () => {
        if (control.value === "") writeEmpty(path, required, "");
        else setAt(path, mixedValue(schema, control.value));
      });
    }
    describe(control, ctx);
    return el("div", { class: "field", "data-field": ctx.id }, labelFor(ctx), ctx.hint, control);
  }

  /* Text typed into a field that may hold a number or a text (a font weight): a number when it reads as one. */
  function mixedValue(schema, text) {
    if (!Array.isArray(schema.anyOf)) return text;
    const integer = schema.anyOf.some((b) => b.type === "integer");
    return integer && /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  }

  function booleanField(ctx) {
    const value = hasAt(state.doc, ctx.path) ? getAt(state.doc, ctx.path) : ctx.schema.default;
    const box = el("input", { id: ctx.id, type: "checkbox" });
    box.checked = Boolean(value);
    box.addEventListener("change", () => setAt(ctx.path, box.checked));
    describe(box, ctx);
    box.removeAttribute("aria-required");
    return el("div", { class: "field check", "data-field": ctx.id }, box, labelFor(ctx), ctx.hint);
  }

  function opaqueField(ctx) {
    return el("div", { class: "field", "data-field": ctx.id },
      el("p", { class: "label-like", text: ctx.label }), ctx.hint,
      el("p", { class: "hint", id: ctx.id, tabindex: "-1", text: "This part is kept as the file has it; change it in the file itself." }));
  }

  function group(ctx, extraClass) {
    const box = el("fieldset", { id: ctx.id, class: "group " + (extraClass || ""), tabindex: "-1", "data-field": ctx.id },
      el("legend", {}, ctx.label, ctx.required ? el("span", { class: "req", "aria-hidden": "true", text: " (required)" }) : null));
    if (ctx.hintId) box.setAttribute("aria-describedby", ctx.hintId);
    if (ctx.hint) box.append(ctx.hint);
    return box;
  }

  function objectField(ctx, bare) {
    const box = bare ? el("div", { class: "fields" }) : group(ctx, "object");
    const required = new Set(ctx.schema.required || []);
    for (const [key, prop] of Object.entries(ctx.schema.properties || {})) {
      const node = field(prop, ctx.path.concat(key), { required: required.has(key) });
      if (node) box.append(node);
    }
    return box;
  }

  function roleTitle(id) {
    const role = (state.choices.role || []).find((r) => r.id === id);
    return role ? role.title || id : id + " (not found)";
  }

  /* A map keyed by role id (a month's prepare, follow_up): one value per role of the playbook. */
  function roleMapField(ctx) {
    const box = group(ctx, "rolemap");
    const present = Object.keys(getAt(state.doc, ctx.path) || {});
    const ids = (state.choices.role || []).map((r) => r.id);
    for (const id of ids.concat(present.filter((k) => !ids.includes(k)))) {
      const node = field(ctx.schema.additionalProperties, ctx.path.concat(id), { label: roleTitle(id), itemName: roleTitle(id) + " item" });
      if (node) box.append(node);
    }
    return box;
  }

  function choiceLabel(choice) {
    return choice.title && choice.title !== choice.id ? choice.title : choice.id;
  }

  /* Ticks for a list of ids chosen from what exists; unknown ids stay, marked, so a check can name them. */
  function tickBoxes(ctx, kind, selected, onChange) {
    const box = group(ctx, "ticks");
    const known = state.choices[kind] || [];
    const all = known.map((c) => ({ id: c.id, text: choiceLabel(c), detail: c.title && c.title !== c.id ? c.id : "" }))
      .concat(selected.filter((v) => !known.some((c) => c.id === v)).map((v) => ({ id: v, text: v + " (not found)", detail: "" })));
    const list = el("div", { class: "tick-list" });
    all.forEach((choice, i) => {
      const id = ctx.id + "--" + i;
      const input = el("input", { type: "checkbox", id, value: choice.id, "data-id": choice.id });
      input.checked = selected.includes(choice.id);
      input.addEventListener("change", () => onChange(Array.from(list.querySelectorAll("input:checked"), (b) => b.value)));
      list.append(el("div", { class: "tick" }, input,
        el("label", { for: id }, choice.text, choice.detail ? el("span", { class: "id", text: " " + choice.detail }) : null)));
    });
    if (!all.length) list.append(el("p", { class: "hint", text: "There is nothing to choose yet." }));
    box.append(list);
    return box;
  }

  /* Keep the order the file has, add the newly ticked at the end. */
  function ordered(before, ticked) {
    return before.filter((v) => ticked.includes(v)).concat(ticked.filter((v) => !before.includes(v)));
  }

  function idSetField(ctx) {
    const kind = idOf(resolve(ctx.schema.items));
    const current = getAt(state.doc, ctx.path);
    return tickBoxes(ctx, kind, Array.isArray(current) ? current : [], (ticked) => {
      const before = getAt(state.doc, ctx.path) || [];
      if (!ticked.length) writeEmpty(ctx.path, ctx.required, []);
      else setAt(ctx.path, ordered(before, ticked));
    });
  }

  /* A role id or a list of them: one tick is a text, several a list; a file's list stays a list. */
  function ownerField(ctx) {
    const current = getAt(state.doc, ctx.path);
    const selected = Array.isArray(current) ? current : current ? [current] : [];
    return tickBoxes(ctx, idOf(ctx.schema), selected, (ticked) => {
      const now = getAt(state.doc, ctx.path);
      const before = Array.isArray(now) ? now : now ? [now] : [];
      const wasList = Array.isArray(getAt(state.original, ctx.path));
      if (!ticked.length) writeEmpty(ctx.path, ctx.required, undefined);
      else if (ticked.length === 1 && !wasList) setAt(ctx.path, ticked[0]);
      else setAt(ctx.path, ordered(before, ticked));
    });
  }

  /* One of several kinds of object told apart by a tag (a worksheet field's `type`): the tag, then its fields. */
  function variantField(ctx) {
    const { propertyName, mapping } = ctx.schema.discriminator;
    const value = getAt(state.doc, ctx.path) || {};
    const box = group(ctx, "variant");
    const selectId = fieldId(ctx.path.concat(propertyName));
    const select = el("select", { id: selectId });
    for (const [tag, ref] of Object.entries(mapping)) {
      const def = resolve({ $ref: ref });
      select.append(el("option", { value: tag, text: tag.replace(/_/g, " ") + (def.description ? ": " + def.description : "") }));
    }
    if (!(value[propertyName] in mapping)) select.append(el("option", { value: String(value[propertyName]), text: value[propertyName] + " (not found)" }));
    select.value = String(value[propertyName]);
    select.addEventListener("change", () => {
      const def = resolve({ $ref: mapping[select.value] });
      const old = getAt(state.doc, ctx.path) || {};
      const next = {};
      for (const key of Object.keys(old)) {
        if (key === propertyName) next[key] = select.value;
        else if (def.properties && key in def.properties) next[key] = old[key];
      }
      setAt(ctx.path, Object.assign(next, Object.assign(blank(def), next)));
      const fresh = variantField(ctx);
      box.replaceWith(fresh);
      $(selectId).focus();
    });
    box.append(el("div", { class: "field" }, el("label", { for: selectId, text: "Type" }), select));
    const def = mapping[value[propertyName]] ? resolve({ $ref: mapping[value[propertyName]] }) : null;
    if (def) {
      const inner = objectField(Object.assign({}, ctx, { schema: def }), true);
      box.append(inner);
    }
    return box;
  }

  /* ---------- lists ---------- */

  function listField(ctx) {
    const box = group(ctx, "list");
    const name = ctx.itemName || itemName(ctx.schema, ctx.label);
    const render = (focus) => {
      const fresh = listField(ctx);
      box.replaceWith(fresh);
      if (focus) {
        const target = focus(fresh);
        if (target) target.focus();
      }
    };
    const items = getAt(state.doc, ctx.path);
    const list = el("ol", { class: "items" });
    (Array.isArray(items) ? items : []).forEach((_, i) => list.append(listItem(ctx, name, i, items.length, render)));
    box.append(list);
    box.append(el("button", {
      type: "button", class: "add", "data-action": "add",
      onclick: () => {
        const current = getAt(state.doc, ctx.path);
        const next = (Array.isArray(current) ? current : []).concat([blank(ctx.schema.items)]);
        setAt(ctx.path, next);
        render((fresh) => firstControl(fresh.querySelector('[data-index="' + (next.length - 1) + '"]')));
      },
    }, "Add " + name.toLowerCase()));
    return box;
  }

  function firstControl(node) {
    return node && node.querySelector("input, select, textarea, button");
  }

  function listItem(ctx, name, i, count, render) {
    const path = ctx.path.concat(i);
    const itemLabel = name + " " + (i + 1);
    const inner = field(ctx.schema.items, path, { label: itemLabel });
    const move = (to) => {
      const list = getAt(state.doc, ctx.path).slice();
      const [item] = list.splice(i, 1);
      list.splice(to, 0, item);
      setAt(ctx.path, list);
      render((fresh) => {
        const moved = fresh.querySelector('[data-index="' + to + '"]');
        const want = moved && moved.querySelector('[data-action="' + (to < i ? "up" : "down") + '"]');
        return want && !want.disabled ? want : moved && moved.querySelector('[data-action="' + (to < i ? "down" : "up") + '"]');
      });
    };
    const remove = () => {
      const list = getAt(state.doc, ctx.path).slice();
      list.splice(i, 1);
      if (list.length) setAt(ctx.path, list);
      else writeEmpty(ctx.path, ctx.required, []);
      render((fresh) => firstControl(fresh.querySelector('[data-index="' + Math.min(i, list.length - 1) + '"]')) || fresh.querySelector('[data-action="add"]'));
    };
    const lower = itemLabel.charAt(0).toLowerCase() + itemLabel.slice(1);
    const tools = el("div", { class: "item-tools" },
      el("button", { type: "button", "data-action": "up", disabled: i === 0, onclick: () => move(i - 1) }, "Move up", el("span", { class: "vh", text: " " + lower })),
      el("button", { type: "button", "data-action": "down", disabled: i === count - 1, onclick: () => move(i + 1) }, "Move down", el("span", { class: "vh", text: " " + lower })),
      el("button", { type: "button", "data-action": "remove", class: "remove", onclick: remove }, "Remove", el("span", { class: "vh", text: " " + lower })));
    if (state.file.kind === "program" && path.length === 2 && path[0] === "months") {
      tools.append(el("a", { class: "alone", href: editUrl(state.path, "/months/" + i) }, "Edit month " + (i + 1) + " on its own"));
    }
    return el("li", { class: inner && inner.tagName === "FIELDSET" ? "item" : "item simple", "data-index": String(i) }, inner, tools);
  }

  /* ---------- problems ---------- */

  function clearProblems() {
    const box = $("problems");
    box.hidden = true;
    box.replaceChildren();
    for (const node of document.querySelectorAll(".error")) node.remove();
    for (const node of document.querySelectorAll("[aria-invalid]")) {
      node.removeAttribute("aria-invalid");
      const ids = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
      if (ids.length) node.setAttribute("aria-describedby", ids.join(" "));
      else node.removeAttribute("aria-describedby");
    }
  }

  function fieldFor(path) {
    for (let n = path.length; n > 0; n--) {
      const node = $(fieldId(path.slice(0, n)));
      if (node) return node;
    }
    return null;
  }

  function focusField(node) {
    const target = node.matches("input, select, textarea") ? node : firstControl(node) || node;
    target.focus();
    target.scrollIntoView({ block: "center" });
  }

  function markField(node, text) {
    const errorId = node.id + "-error";
    let message = $(errorId);
    if (!message) {
      message = el("p", { class: "error", id: errorId });
      const holder = node.closest("[data-field]") || node;
      if (holder.tagName === "FIELDSET") holder.querySelector("legend").after(message);
      else node.before(message);
      node.setAttribute("aria-invalid", "true");
      node.setAttribute("aria-describedby", ((node.getAttribute("aria-describedby") || "") + " " + errorId).trim());
    } else {
      message.append(el("br"));
    }
    message.append(text);
  }

  /* "Agenda item 2, owner: ": the field's label, after the list item it is in. */
  function fieldName(node) {
    const names = [];
    for (let at = node.closest("[data-field]"); at; at = at.parentElement && at.parentElement.closest("li.item")) {
      const label = at.matches("li.item") ? at.querySelector("legend, label") : at.querySelector("label, legend");
      if (label) names.unshift(label.textContent.replace(" (required)", ""));
      if (names.length > 1) break;
    }
    const parts = names.filter((n, i) => names.indexOf(n) === i).map((n, i) => (i ? n.charAt(0).toLowerCase() + n.slice(1) : n));
    return parts.length ? parts.join(", ") + ": " : "";
  }

  function where(problem) {
    const place = problem.file ? problem.file + (problem.line ? ", line " + problem.line : "") : (problem.path || []).join(" › ");
    return place ? place + ": " : "";
  }

  function showProblems(title, message, problems) {
    clearProblems();
    const box = $("problems");
    const list = el("ul");
    for (const problem of problems || []) {
      const words = (problem.severity === "warning" ? "Warning: " : "") + problem.message + (problem.hint ? " " + problem.hint : "");
      const inThisFile = !problem.file || problem.file === state.path;
      const node = inThisFile ? fieldFor(problem.path || []) : null;
      if (node) {
        markField(node, words);
        list.append(el("li", {}, el("a", {
          href: "#" + node.id, onclick: (event) => { event.preventDefault(); focusField(node); },
        }, fieldName(node) + words)));
      } else {
        list.append(el("li", {}, (inThisFile ? "" : where(problem)) + (inThisFile && problem.path && problem.path.length ? where(problem) : "") + words));
      }
    }
    box.append(el("h2", { text: title }));
    if (message) box.append(el("p", {}, prose(message)));
    if (list.children.length) box.append(list);
    box.hidden = false;
    box.focus();
    return box;
  }

  function say(text, link) {
    const status = $("status");
    status.replaceChildren(text);
    if (link) status.append(" ", link);
  }

  /* ---------- a file's form ---------- */

  function snapshot() { return JSON.stringify([state.doc, state.body === undefined ? null : state.body]); }

  function dirty() { return state.doc !== null && snapshot() !== state.saved; }

  function partLabel(schema, value, path) {
    const last = path[path.length - 1];
    const name = sentence(schema.title || humanize(last));
    const number = value && typeof value.number === "number" ? value.number : typeof last === "number" ? last + 1 : "";
    const title = value && typeof value.title === "string" ? value.title : "";
    return (typeof last === "number" ? name + " " + number : name) + (title ? ": " + title : "");
  }

  async function openFile(path, at) {
    state.path = path;
    const { data } = await api("file?path=" + encodeURIComponent(path));
    state.file = data;
    state.defs = (data.schema && data.schema.$defs) || {};
    state.choices = data.choices || {};
    state.doc = clone(data.document);
    state.original = clone(data.document);
    state.body = typeof data.body === "string" ? data.body : undefined;
    state.digest = data.digest;
    state.at = pointer(at);
    if (state.at.length && getAt(state.doc, state.at) === undefined) state.at = [];
    state.saved = snapshot();
    renderFile();
  }

  function renderFile() {
    const file = state.file;
    const title = file.title || file.path;
    const crumbs = [el("a", { href: BASE, text: "All files" })];
    let heading = title;
    let schema = resolve(file.schema);
    if (state.at.length) {
      schema = schemaAt(file.schema, state.at);
      heading = partLabel(schema, getAt(state.doc, state.at), state.at);
      crumbs.push(el("a", { href: editUrl(file.path), text: title }));
      crumbs.push(el("span", { "aria-current": "page", text: heading }));
      document.title = "Edit: " + heading + " – " + title;
    } else {
      crumbs.push(el("span", { "aria-current": "page", text: title }));
      document.title = "Edit: " + title;
    }
    const nav = $("breadcrumb");
    nav.replaceChildren(el("ol", {}, crumbs.map((c) => el("li", {}, c))));
    nav.hidden = false;
    $("heading").textContent = "Edit: " + heading;
    const form = el("form", { id: "editor-form", novalidate: true, "aria-labelledby": "heading" });
    form.addEventListener("submit", (event) => { event.preventDefault(); save(); });
    form.append(el("p", { class: "file-path" }, "File: ", el("code", { text: file.path })));
    const ctx = { schema, path: state.at, id: fieldId(state.at), label: heading, required: true };
    form.append(shapeOf(schema) === "object" ? objectField(ctx, true) : field(schema, state.at, { label: heading, required: true }));
    if (state.body !== undefined) form.append(bodyEditor());
    $("app").replaceChildren(form);
    const button = $("save");
    button.hidden = false;
    clearProblems();
    if (state.body !== undefined) preview();
  }

  function bodyEditor() {
    const area = el("textarea", { id: "f-body", rows: "24", spellcheck: "true", "aria-describedby": "f-body-hint" });
    area.value = state.body;
    area.addEventListener("input", () => {
      state.body = area.value;
      clearTimeout(state.previewTimer);
      state.previewTimer = setTimeout(preview, 300);
    });
    return el("section", { class: "body-editor", "aria-labelledby": "body-heading" },
      el("h2", { id: "body-heading", text: "Text" }),
      el("div", { class: "split" },
        el("div", { class: "field", "data-field": "f-body" },
          el("label", { for: "f-body", text: "Text of the guide (Markdown)" }),
          el("p", { class: "hint", id: "f-body-hint", text: "The preview beside it shows the text as the site will." }),
          area),
        el("section", { class: "preview-pane", "aria-labelledby": "preview-heading" },
          el("h3", { id: "preview-heading", text: "Preview" }),
          el("div", { id: "preview", class: "preview" }))));
  }

  async function preview() {
    const turn = ++state.previewTurn;
    const pane = $("preview");
    if (!pane) return;
    try {
      const { data } = await api("preview", { path: state.path, markdown: state.body });
      if (turn === state.previewTurn) pane.innerHTML = data.html; /* sanitised by the server's Markdown setup */
    } catch (error) {
      if (turn === state.previewTurn) pane.replaceChildren(el("p", { class: "hint" }, prose("No preview: " + error.message)));
    }
  }

  async function save() {
    if (state.saving || !state.file) return;
    const button = $("save");
    state.saving = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = "Saving…";
    say("Saving…");
    const sent = snapshot();
    const request = { path: state.path, digest: state.digest, document: state.doc };
    if (state.at.length) request.at = atText();
    if (state.body !== undefined) request.body = state.body;
    try {
      const { data } = await api("save", request);
      clearProblems();
      state.digest = data.digest;
      state.saved = sent;
      state.original = clone(state.doc);
      const link = data.url ? el("a", { href: data.url, id: "view-page", text: "View the page" }) : null;
      say(data.changed === false ? "Saved: the file already said this." : "Saved. The site is rebuilding…", link);
    } catch (error) {
      say("");
      if (error.status === 422) {
        showProblems("Problems to fix", error.data.message, error.data.problems);
        say("Not saved: the file has problems, listed at the top.");
      } else if (error.status === 409) {
        const box = showProblems("Not saved: the file changed on disk", error.message, []);
        box.append(el("button", { type: "button", id: "reload-file", onclick: reloadFile }, "Reload the file"));
        say("Not saved: the file changed on disk.");
      } else {
        showProblems("Not saved", error.message, []);
        say("Not saved.");
      }
    } finally {
      state.saving = false;
      button.removeAttribute("aria-busy");
      button.textContent = "Save";
    }
  }

  async function reloadFile() {
    if (dirty() && !confirm("Reload the file from disk? The changes made in this form are lost.")) return;
    try {
      await openFile(state.path, atText());
      say("The file was reloaded from disk.");
    } catch (error) {
      showProblems("The file could not be reloaded", error.message, []);
    }
  }

  /* ---------- the editor's home ---------- */

  async function openHome() {
    document.title = "Playbook editor";
    const { data } = await api("files");
    const app = $("app");
    app.replaceChildren(newSection(data.programs || []));
    const files = data.files || [];
    for (const [kind, label] of KIND_LABELS) {
      const mine = files.filter((f) => f.kind === kind);
      if (!mine.length) continue;
      const section = el("section", { class: "kind", "aria-labelledby": "kind-" + kind }, el("h2", { id: "kind-" + kind, text: label }));
      const list = el("ul", { class: "files" });
      for (const file of mine) {
        const item = el("li", {}, el("a", { href: editUrl(file.path) }, file.title || file.path), " ", el("span", { class: "id", text: file.path }));
        const program = kind === "program" && (data.programs || []).find((p) => p.path === file.path);
        if (program && program.months && program.months.length) {
          item.append(el("ul", { class: "months" }, program.months.map((m) =>
            el("li", {}, el("a", { href: editUrl(file.path, m.at) }, "Month " + m.number + ": " + m.title)))));
        }
        list.append(item);
      }
      section.append(list);
      app.append(section);
    }
  }

  function newSection(programs) {
    const section = el("section", { class: "new", "aria-labelledby": "new-heading" }, el("h2", { id: "new-heading", text: "Make something new" }));
    const holder = el("div", { class: "new-form-holder" });
    const buttons = el("div", { class: "new-buttons" });
    for (const [kind, label] of NEW_KINDS) {
      if (kind === "month" && !programs.length) continue;
      buttons.append(el("button", {
        type: "button", id: "new-" + kind, "aria-expanded": "false", "aria-controls": "new-form-holder",
        onclick: (event) => {
          for (const b of buttons.querySelectorAll("button")) b.setAttribute("aria-expanded", String(b === event.currentTarget));
          holder.replaceChildren(newForm(kind, label, programs, event.currentTarget));
          $("new-title").focus();
        },
      }, label));
    }
    holder.id = "new-form-holder";
    section.append(buttons, holder);
    return section;
  }

  function newForm(kind, label, programs, opener) {
    const title = el("input", { id: "new-title", type: "text", "aria-required": "true" });
    const form = el("form", { class: "new-form", novalidate: true, "aria-labelledby": "new-form-heading" },
      el("h3", { id: "new-form-heading", text: label }),
      el("div", { class: "field", "data-field": "new-title" }, el("label", { for: "new-title", text: "Title" }), title));
    let program = null;
    if (kind === "month") {
      program = el("select", { id: "new-program" }, programs.map((p) => el("option", { value: p.path, text: p.title })));
      form.append(el("div", { class: "field" }, el("label", { for: "new-program", text: "Program" }), program));
    }
    const close = () => {
      opener.setAttribute("aria-expanded", "false");
      form.remove();
      opener.focus();
    };
    form.append(el("div", { class: "actions" },
      el("button", { type: "submit", class: "primary", id: "new-create" }, "Create"),
      el("button", { type: "button", onclick: close }, "Cancel")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      for (const node of form.querySelectorAll(".error")) node.remove();
      title.removeAttribute("aria-invalid");
      title.removeAttribute("aria-describedby");
      const request = { kind, title: title.value };
      if (program) request.program = program.value;
      try {
        const { data } = await api("new", request);
        location.href = editUrl(data.path, data.at);
      } catch (error) {
        const words = [error.message].concat((error.data.problems || []).map((p) => p.message)).join(" ");
        title.before(el("p", { class: "error", id: "new-title-error" }, prose(words)));
        title.setAttribute("aria-invalid", "true");
        title.setAttribute("aria-describedby", "new-title-error");
        title.focus();
      }
    });
    return form;
  }

  /* ---------- start ---------- */

  function fail(error) {
    const words = error.status === 403 ? NO_TOKEN : error.message;
    $("app").replaceChildren(el("p", { class: "failure" }, prose(words)), el("p", {}, el("a", { href: BASE, text: "All files" })));
    if (error.status === 404 || error.status === 400) $("heading").textContent = "This file cannot be edited here";
    if (error.status === 403) $("heading").textContent = "Open the editor from the terminal";
    document.title = $("heading").textContent;
  }

  function start() {
    takeToken();
    const query = new URLSearchParams(location.search);
    const path = query.get("path");
    addEventListener("beforeunload", (event) => {
      if (dirty()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s" && state.file) {
        event.preventDefault();
        save();
      }
    });
    $("save").addEventListener("click", save);
    (path ? openFile(path, query.get("at") || "") : openHome()).catch(fail);
  }

  start();
})();
