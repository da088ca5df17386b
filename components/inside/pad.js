// LayerLab drawing pad: draw light strokes on black with a mouse, pen or finger.
//
// After each stroke the drawing is cropped to its ink, scaled into the central 20/28 of a
// side×side grid (as MNIST centres its digits) and sent as grey values 0–255 with
// setStateValue("drawing", {pixels, height, width, strokes}); Clear sends null.
// Wiring happens once per root (Streamlit calls this again with the same DOM).

const ROOTS = new WeakMap();
const BRUSH = 18;

export default function ({ data, parentElement, setStateValue }) {
  let s = ROOTS.get(parentElement);
  if (!s) {
    s = setup(parentElement);
    ROOTS.set(parentElement, s);
  }
  s.emit = setStateValue;
  s.height = data.height;
  s.width = data.width;
  s.clear.textContent = data.texts.clear;
  s.hint.textContent = data.texts.hint;
  s.board.setAttribute("aria-label", data.texts.label);
  return () => ROOTS.delete(parentElement);
}

function setup(parent) {
  const root = parent.querySelector(".ll-pad");
  const board = root.querySelector(".board");
  const s = { root, board, ctx: board.getContext("2d"), clear: root.querySelector(".clear"),
              hint: root.querySelector(".hint"), drawing: false, last: null, strokes: 0 };
  wipe(s);
  board.onpointerdown = (e) => {
    board.setPointerCapture(e.pointerId);
    s.drawing = true;
    s.last = point(s, e);
    dot(s, s.last);
  };
  board.onpointermove = (e) => {
    if (!s.drawing) return;
    const p = point(s, e);
    line(s, s.last, p);
    s.last = p;
  };
  board.onpointerup = board.onpointercancel = () => {
    if (!s.drawing) return;
    s.drawing = false;
    s.strokes += 1;
    send(s);
  };
  s.clear.onclick = () => {
    wipe(s);
    s.strokes = 0;
    s.emit("drawing", null);
  };
  return s;
}

function wipe(s) {
  s.ctx.fillStyle = "#000";
  s.ctx.fillRect(0, 0, s.board.width, s.board.height);
}

function point(s, e) {
  const box = s.board.getBoundingClientRect();
  return { x: ((e.clientX - box.left) * s.board.width) / box.width,
           y: ((e.clientY - box.top) * s.board.height) / box.height };
}

function dot(s, p) {
  s.ctx.fillStyle = "#fff";
  s.ctx.beginPath();
  s.ctx.arc(p.x, p.y, BRUSH / 2, 0, 2 * Math.PI);
  s.ctx.fill();
}

function line(s, a, b) {
  const c = s.ctx;
  c.strokeStyle = "#fff";
  c.lineWidth = BRUSH;
  c.lineCap = "round";
  c.beginPath();
  c.moveTo(a.x, a.y);
  c.lineTo(b.x, b.y);
  c.stroke();
}

function inkBox(s) {
  const { width, height } = s.board;
  const px = s.ctx.getImageData(0, 0, width, height).data;
  let top = height, left = width, bottom = -1, right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (px[(y * width + x) * 4] > 20) {
        top = Math.min(top, y); bottom = Math.max(bottom, y);
        left = Math.min(left, x); right = Math.max(right, x);
      }
    }
  }
  return bottom < 0 ? null : { x: left, y: top, w: right - left + 1, h: bottom - top + 1 };
}

function send(s) {
  const box = inkBox(s);
  const { width, height } = s;
  const small = document.createElement("canvas");
  small.width = width;
  small.height = height;
  const c = small.getContext("2d");
  c.fillStyle = "#000";
  c.fillRect(0, 0, width, height);
  if (box) {
    const inner = (Math.min(width, height) * 20) / 28;
    const scale = inner / Math.max(box.w, box.h);
    const w = box.w * scale, h = box.h * scale;
    c.imageSmoothingQuality = "high";
    c.drawImage(s.board, box.x, box.y, box.w, box.h, (width - w) / 2, (height - h) / 2, w, h);
  }
  const rgba = c.getImageData(0, 0, width, height).data;
  const pixels = [];
  for (let i = 0; i < rgba.length; i += 4) pixels.push(rgba[i]);
  s.emit("drawing", { pixels, height, width, strokes: s.strokes });
}
