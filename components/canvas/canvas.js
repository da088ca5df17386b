// LayerLab canvas: palette + model stack with drag and drop, buttons and keys.
//
// Rules learned the hard way (see shared notes):
// - Streamlit calls this default export again on every data change with the same DOM,
//   so all wiring happens once per root (WeakMap) and handlers are assigned, not added.
// - One event is in flight at a time; it carries the revision it was made against and
//   the canvas waits for a newer revision before sending the next (no echo races).
//   While it waits the canvas is "busy": it takes no clicks or drags (so none is lost
//   silently) until the answer arrives, or PENDING_TIMEOUT_MS passes.
// - The DOM is never rebuilt under a drag: renders wait until the drag ends.
// - User strings (layer names) are only ever set with textContent.

const ROOTS = new WeakMap();
const PENDING_TIMEOUT_MS = 5000;
const OPEN_KEY = "layerlab-canvas-open"; // the blocks whose paths are shown, kept for this tab

export default function ({ data, parentElement, setTriggerValue }) {
  let s = ROOTS.get(parentElement);
  if (!s) {
    s = setup(parentElement);
    ROOTS.set(parentElement, s);
  }
  s.emit = setTriggerValue;
  update(s, data[0]); // a list: see canvas() in __init__.py
  return () => ROOTS.delete(parentElement);
}

function setup(parent) {
  const root = parent.querySelector(".ll-canvas");
  const s = {
    root,
    palette: root.querySelector(".palette"),
    model: root.querySelector(".model"),
    stack: root.querySelector(".zone.top"),
    head: el("header", "model-head"),
    data: null,
    drag: null,
    pending: null,
    busyTimer: null,
    paletteKey: null,
    stackKey: null,
    expanded: new Set(readOpen()),
  };
  s.model.prepend(s.head);
  root.onclick = (e) => onClick(s, e);
  root.onkeydown = (e) => onKey(s, e);
  root.ondragstart = (e) => onDragStart(s, e);
  root.ondragover = (e) => onDragOver(s, e);
  root.ondrop = (e) => onDrop(s, e);
  root.ondragend = () => endDrag(s);
  return s;
}

// ---- data in ---------------------------------------------------------------

function update(s, data) {
  s.data = data;
  if (s.pending !== null && data.rev > s.pending.rev) setPending(s, null);
  if (!s.drag) render(s);
}

function render(s) {
  const d = s.data;
  const paletteKey = JSON.stringify([d.lang, d.palette]);
  if (paletteKey !== s.paletteKey) {
    s.paletteKey = paletteKey;
    renderPalette(s);
  }
  const stackKey = JSON.stringify([d.stack, d.selected, d.texts, [...s.expanded]]);
  if (stackKey !== s.stackKey) {
    s.stackKey = stackKey;
    renderHead(s);
    renderZone(s, s.stack, d.stack);
  }
}

function renderPalette(s) {
  const { palette, texts } = s.data;
  s.palette.setAttribute("aria-label", texts.palette);
  const hint = el("p", "hint", texts.palette_hint);
  const parts = [el("h4", "", texts.palette), hint];
  for (const group of palette) {
    parts.push(el("h4", "", group.title));
    for (const card of group.cards) {
      // a div, not a <button>: buttons do not start HTML5 drags in every browser
      const b = el("div", `pal-card group-${group.group}`, card.type);
      b.setAttribute("role", "button");
      b.tabIndex = 0;
      b.draggable = true;
      b.title = card.tip;
      b.dataset.type = card.type;
      b.setAttribute("data-testid", `palette-${card.type}`);
      parts.push(b);
    }
  }
  s.palette.replaceChildren(...parts);
}

function renderHead(s) {
  const { texts } = s.data;
  s.head.replaceChildren(el("span", "title", texts.model), el("span", "status", texts.busy));
}

function renderZone(s, zone, cards) {
  const children = cards.map((c, i) => cardEl(s, c, i === 0, i === cards.length - 1));
  if (!children.length) {
    const top = zone === s.stack;
    children.push(el("p", "empty", top ? s.data.texts.empty : s.data.texts.drop_path));
  }
  zone.replaceChildren(...children);
}

function cardEl(s, c, first, last) {
  const { texts, selected } = s.data;
  const key = JSON.stringify(c.addr);
  const card = el("div", `card group-${groupOf(s, c.type)}`);
  card.setAttribute("data-testid", "layer-card");
  card.dataset.addr = key;
  card.dataset.type = c.type;
  card.draggable = true;
  card.tabIndex = 0;
  if (JSON.stringify(selected) === key) card.classList.add("selected");
  const worst = c.problems.some((p) => p.severity === "error") ? "error" : c.problems.length ? "warning" : "";
  if (worst) card.classList.add(worst);

  const head = el("div", "head", "");
  head.append(el("span", "type", c.type));
  if (c.name) head.append(el("span", "name", c.name));
  const actions = el("span", "actions", "");
  const up = button("up", "↑", texts.up);
  const down = button("down", "↓", texts.down);
  up.disabled = first;
  down.disabled = last;
  actions.append(
    up,
    down,
    button("duplicate", "❐", texts.duplicate),
    button("remove", "×", texts.remove),
  );
  head.append(actions);
  card.append(head);
  if (c.keys) card.append(el("div", "keys", c.keys));
  const stats = el("div", "stats", "");
  stats.append(el("span", "out", `→ ${c.out}`), el("span", "params", `${c.params} ${texts.params}`));
  card.append(stats);
  if (c.shortcut) {
    const line = el("div", "shortcut", `↪ ${c.shortcut}`);
    line.setAttribute("data-testid", "card-shortcut");
    card.append(line);
  }
  for (const p of c.problems) {
    const msg = el("div", `problem ${p.severity}`, `⚠ ${p.text}`);
    msg.setAttribute("data-testid", "card-problem");
    card.append(msg);
  }
  if (c.block) card.append(...blockParts(s, c, key));
  return card;
}

function blockParts(s, c, key) {
  const { texts } = s.data;
  const open = s.expanded.has(key);
  const bar = el("div", "block-bar", "");
  const toggle = button("toggle", `${open ? "▾" : "▸"} ${texts.paths} (${c.block.paths.length})`, texts.paths);
  toggle.setAttribute("aria-expanded", String(open));
  bar.append(toggle);
  if (open && c.block.can_add) bar.append(button("add-path", `+ ${texts.add_path}`, texts.add_path));
  if (!open) return [bar];
  const paths = el("div", "paths", "");
  c.block.paths.forEach((cards, k) => {
    const path = el("div", "path", "");
    const head = el("div", "path-head", "");
    head.append(el("span", "", c.block.labels[k]));
    if (c.block.can_remove) {
      const rm = button("remove-path", "×", texts.remove_path);
      rm.dataset.path = String(k);
      head.append(rm);
    }
    const zone = el("div", "zone", "");
    zone.dataset.prefix = JSON.stringify([...c.addr, k]);
    zone.setAttribute("data-testid", "path-zone");
    renderZone(s, zone, cards);
    path.append(head, zone);
    paths.append(path);
  });
  if (c.block.shortcut) paths.append(shortcutPath(texts, c.block.shortcut));
  return [bar, paths];
}

// The Residual shortcut beside the main path: shown, not editable (nothing can be dropped).
function shortcutPath(texts, sc) {
  const path = el("div", "path shortcut-path", "");
  path.append(el("div", "path-head", texts.shortcut));
  const box = el("div", "ghost", "");
  box.setAttribute("data-testid", "shortcut-card");
  box.append(el("div", "type", sc.title));
  if (sc.keys) box.append(el("div", "keys", sc.keys));
  const stats = el("div", "stats", "");
  stats.append(el("span", "out", `→ ${sc.out}`), el("span", "params", `${sc.params} ${texts.params}`));
  box.append(stats);
  path.append(box);
  return path;
}

// ---- events out ------------------------------------------------------------

function send(s, event) {
  if (s.pending !== null && Date.now() - s.pending.at < PENDING_TIMEOUT_MS) return;
  setPending(s, { rev: s.data.rev, at: Date.now() });
  s.emit("edit", { ...event, rev: s.data.rev });
}

function setPending(s, pending) {
  s.pending = pending;
  s.root.classList.toggle("busy", pending !== null);
  clearTimeout(s.busyTimer);
  if (pending !== null) s.busyTimer = setTimeout(() => setPending(s, null), PENDING_TIMEOUT_MS);
}

function addrOf(node) {
  const card = node.closest(".card");
  return card ? JSON.parse(card.dataset.addr) : null;
}

function moveBy(s, addr, step) {
  const i = addr[addr.length - 1];
  const to = i + (step < 0 ? -1 : 2); // "to" counts positions before the layer is taken out
  if (to < 0) return;
  send(s, { op: "move", from: addr, to: [...addr.slice(0, -1), to] });
}

function onClick(s, e) {
  const act = e.target.closest("[data-act]");
  const addr = addrOf(e.target);
  if (act && addr) {
    e.stopPropagation();
    runAction(s, act, addr);
    return;
  }
  const pal = e.target.closest(".pal-card");
  if (pal) {
    send(s, { op: "insert", type: pal.dataset.type, to: [s.data.stack.length] });
  } else if (addr) {
    send(s, { op: "select", at: addr });
  }
}

function runAction(s, act, addr) {
  const kind = act.dataset.act;
  if (kind === "up" || kind === "down") moveBy(s, addr, kind === "up" ? -1 : 1);
  else if (kind === "remove") send(s, { op: "remove", at: addr });
  else if (kind === "duplicate") send(s, { op: "duplicate", at: addr });
  else if (kind === "add-path") send(s, { op: "add_path", at: addr });
  else if (kind === "remove-path") send(s, { op: "remove_path", at: addr, path: Number(act.dataset.path) });
  else if (kind === "toggle") {
    const key = JSON.stringify(addr);
    if (!s.expanded.delete(key)) s.expanded.add(key);
    keepOpen(s.expanded);
    render(s);
  }
}

function onKey(s, e) {
  if (e.target.closest("button")) return; // buttons handle Enter themselves
  const addr = addrOf(e.target);
  const activate = e.key === "Enter" || e.key === " ";
  if (e.target.classList.contains("pal-card") && activate) {
    send(s, { op: "insert", type: e.target.dataset.type, to: [s.data.stack.length] });
  } else if (!addr || !e.target.classList.contains("card")) return;
  else if (activate) send(s, { op: "select", at: addr });
  else if (e.key === "Delete" || e.key === "Backspace") send(s, { op: "remove", at: addr });
  else if (e.altKey && e.key === "ArrowUp") moveBy(s, addr, -1);
  else if (e.altKey && e.key === "ArrowDown") moveBy(s, addr, 1);
  else return;
  e.preventDefault();
}

// ---- drag and drop ---------------------------------------------------------

function onDragStart(s, e) {
  const pal = e.target.closest(".pal-card");
  const card = e.target.closest(".card");
  if (pal) s.drag = { kind: "new", type: pal.dataset.type };
  else if (card) {
    s.drag = { kind: "move", from: JSON.parse(card.dataset.addr), node: card };
    card.classList.add("dragging");
  } else return;
  e.dataTransfer.effectAllowed = "copyMove";
  e.dataTransfer.setData("text/plain", pal ? pal.dataset.type : card.dataset.type);
}

function dropTarget(s, e) {
  if (s.drag.kind === "move" && e.target.closest(".palette")) return { trash: true };
  const zone = e.target.closest(".zone");
  if (!zone) return null;
  const cards = [...zone.children].filter((c) => c.classList.contains("card"));
  let index = cards.findIndex((c) => {
    const r = c.getBoundingClientRect();
    return e.clientY < r.top + r.height / 2;
  });
  if (index < 0) index = cards.length;
  return { zone, cards, index, to: [...JSON.parse(zone.dataset.prefix), index] };
}

function clearMarks(s) {
  s.root.querySelectorAll(".drop-before, .drop-end, .trash-over").forEach((n) =>
    n.classList.remove("drop-before", "drop-end", "trash-over"));
}

function onDragOver(s, e) {
  if (!s.drag) return;
  const target = dropTarget(s, e);
  clearMarks(s);
  if (!target) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = s.drag.kind === "new" ? "copy" : "move";
  if (target.trash) s.palette.classList.add("trash-over");
  else if (target.index < target.cards.length) target.cards[target.index].classList.add("drop-before");
  else target.zone.classList.add("drop-end");
}

function onDrop(s, e) {
  if (!s.drag) return;
  const target = dropTarget(s, e);
  if (target) e.preventDefault();
  const drag = s.drag;
  endDrag(s);
  if (!target) return;
  if (target.trash) send(s, { op: "remove", at: drag.from });
  else if (drag.kind === "new") send(s, { op: "insert", type: drag.type, to: target.to });
  else send(s, { op: "move", from: drag.from, to: target.to });
}

function endDrag(s) {
  if (!s.drag) return;
  if (s.drag.node) s.drag.node.classList.remove("dragging");
  s.drag = null;
  clearMarks(s);
  render(s);
}

// ---- helpers ---------------------------------------------------------------

// The open blocks outlive a remount (another page and back, a refresh) in sessionStorage;
// where storage is refused they are only forgotten.
function readOpen() {
  try {
    const open = JSON.parse(sessionStorage.getItem(OPEN_KEY) || "[]");
    return Array.isArray(open) ? open.filter((k) => typeof k === "string") : [];
  } catch {
    return [];
  }
}

function keepOpen(expanded) {
  try {
    sessionStorage.setItem(OPEN_KEY, JSON.stringify([...expanded]));
  } catch {
    // storage full or refused: the view is only kept while the canvas stays mounted
  }
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text) node.textContent = text;
  return node;
}

function button(act, label, title) {
  const b = el("button", "", label);
  b.type = "button";
  b.dataset.act = act;
  b.title = title;
  b.setAttribute("aria-label", title);
  return b;
}

function groupOf(s, type) {
  const group = s.data.palette.find((g) => g.cards.some((c) => c.type === type));
  return group ? group.group : "core";
}
