// Draws the citation neighbourhood of a cable: fetches /api/cables/{id}/graph and lays the
// nodes out with a small force simulation (repulsion between all nodes, springs along the
// citations), then draws SVG. Text from cables is only ever set with textContent.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const RADIUS = 7;

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (parent) parent.appendChild(node);
  return node;
}

// Distance in citation steps from the center, either direction.
function levels(nodes, edges, center) {
  const near = new Map(nodes.map((n) => [n.reference_id, []]));
  for (const e of edges) {
    if (near.has(e.source) && near.has(e.target)) {
      near.get(e.source).push(e.target);
      near.get(e.target).push(e.source);
    }
  }
  const level = new Map([[center, 0]]);
  const queue = [center];
  while (queue.length) {
    const id = queue.shift();
    for (const other of near.get(id) || []) {
      if (!level.has(other)) {
        level.set(other, level.get(id) + 1);
        queue.push(other);
      }
    }
  }
  return level;
}

function layout(nodes, edges, center) {
  const level = levels(nodes, edges, center);
  const rings = new Map();
  for (const n of nodes) {
    const k = level.has(n.reference_id) ? level.get(n.reference_id) : 3;
    if (!rings.has(k)) rings.set(k, []);
    rings.get(k).push(n);
  }
  const pos = new Map();
  for (const [k, ring] of rings) {
    ring.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / ring.length + k * 0.7;
      pos.set(n.reference_id, { x: Math.cos(angle) * 120 * k, y: Math.sin(angle) * 120 * k });
    });
  }
  const ids = nodes.map((n) => n.reference_id);
  const links = edges.filter((e) => pos.has(e.source) && pos.has(e.target));
  const ideal = 70;
  let heat = 60;
  const rounds = nodes.length > 150 ? 150 : 300;
  for (let round = 0; round < rounds; round++) {
    const move = new Map(ids.map((id) => [id, { x: 0, y: 0 }]));
    for (let i = 0; i < ids.length; i++) {
      const a = pos.get(ids[i]);
      for (let j = i + 1; j < ids.length; j++) {
        const b = pos.get(ids[j]);
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
        const push = (ideal * ideal) / d2;
        move.get(ids[i]).x += dx * push; move.get(ids[i]).y += dy * push;
        move.get(ids[j]).x -= dx * push; move.get(ids[j]).y -= dy * push;
      }
    }
    for (const e of links) {
      const a = pos.get(e.source);
      const b = pos.get(e.target);
      const dx = a.x - b.x;
      const dy = a.y - b.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
      const pull = d / ideal;
      move.get(e.source).x -= dx * pull; move.get(e.source).y -= dy * pull;
      move.get(e.target).x += dx * pull; move.get(e.target).y += dy * pull;
    }
    for (const id of ids) {
      if (id === center) continue;
      const m = move.get(id);
      const p = pos.get(id);
      m.x -= p.x * 0.01; m.y -= p.y * 0.01;  // gravity keeps loose parts near
      const len = Math.sqrt(m.x * m.x + m.y * m.y) || 1;
      p.x += (m.x / len) * Math.min(len, heat);
      p.y += (m.y / len) * Math.min(len, heat);
    }
    heat = Math.max(1, heat * 0.97);
  }
  return pos;
}

function draw(svg, data) {
  const center = data.center;
  const pos = layout(data.nodes, data.edges, center);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of pos.values()) {
    minX = Math.min(minX, p.x); minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x); maxY = Math.max(maxY, p.y);
  }
  const pad = 40;
  const labelRoom = 110;  // labels run to the right of their node
  svg.setAttribute("viewBox", `${minX - pad} ${minY - pad} ${maxX - minX + 2 * pad + labelRoom} ${maxY - minY + 2 * pad}`);
  const defs = el("defs", {}, svg);
  const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead" }, marker);
  const edgeLayer = el("g", { class: "edges" }, svg);
  for (const e of data.edges) {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a || !b) continue;
    const dx = b.x - a.x, dy = b.y - a.y;
    const d = Math.sqrt(dx * dx + dy * dy) || 1;
    const line = el("line", { class: "edge", x1: a.x + (dx / d) * RADIUS, y1: a.y + (dy / d) * RADIUS,
      x2: b.x - (dx / d) * (RADIUS + 2), y2: b.y - (dy / d) * (RADIUS + 2), "marker-end": "url(#arrow)" }, edgeLayer);
    const letters = (e.letters || []).filter(Boolean).join(", ");
    el("title", {}, line).textContent = `${e.source} cites ${e.target}${letters ? ` (REF ${letters})` : ""}`;
  }
  const direct = new Set([center]);
  for (const e of data.edges) {
    if (e.source === center) direct.add(e.target);
    if (e.target === center) direct.add(e.source);
  }
  const labelAll = data.nodes.length <= 60;
  const nodeLayer = el("g", { class: "nodes" }, svg);
  for (const n of data.nodes) {
    const p = pos.get(n.reference_id);
    const kind = n.reference_id === center ? "center" : n.in_archive ? "held" : "absent";
    const g = el("g", { class: `node ${kind}`, transform: `translate(${p.x} ${p.y})` }, nodeLayer);
    const link = el("a", { href: `/cables/${encodeURIComponent(n.reference_id)}`, "data-testid": "graph-node" }, g);
    link.setAttribute("aria-label", `${n.reference_id}${n.subject ? `: ${n.subject}` : ""}`);
    el("circle", { r: kind === "center" ? RADIUS + 3 : RADIUS }, link);
    const details = [n.reference_id, (n.date || "").slice(0, 10), n.origin || "", n.subject || "",
      n.in_archive ? "" : "(not held)"].filter(Boolean);
    el("title", {}, link).textContent = details.join("\n");
    if (labelAll || direct.has(n.reference_id)) {
      el("text", { x: RADIUS + 3, y: 3 }, g).textContent = n.reference_id;
    }
  }
}

async function main() {
  const svg = document.getElementById("graph");
  const status = document.getElementById("graph-status");
  if (!svg) return;
  try {
    const response = await fetch(svg.dataset.src, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const data = await response.json();
    draw(svg, data);
    svg.dataset.drawn = String(data.nodes.length);
    status.textContent = `${data.nodes.length} cables, ${data.edges.length} citations${data.truncated ? " (truncated)" : ""}. Select a cable to open it.`;
  } catch (error) {
    status.textContent = `The graph could not be drawn: ${error.message}`;
  }
}

main();
