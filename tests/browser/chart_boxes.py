"""What hides data in a drawn Plotly chart: a legend or a label box (annotation) over a bar or a
line, text labels over each other, an axis title cut by the chart's edge. Read from the boxes
the browser drew (getBoundingClientRect), lines sampled along their length."""

from __future__ import annotations

OVERLAPS_JS = """
(id) => {
  const gd = document.querySelector('#' + CSS.escape(id) + ' .js-plotly-plot');
  if (!gd) return ['no chart #' + id];
  const svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const box = (e) => e.getBoundingClientRect();
  const inside = (p, r) => p.x > r.left + 1 && p.x < r.right - 1 && p.y > r.top + 1 && p.y < r.bottom - 1;
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const name = (e) => (e.textContent || '').trim().slice(0, 40);
  // label boxes: the legend and each annotation (its text's box)
  const labels = [];
  gd.querySelectorAll('.legend .bg').forEach((e) => labels.push({what: 'legend', r: box(e)}));
  gd.querySelectorAll('.annotation-text-g').forEach((e) => {
    const t = name(e); if (t) labels.push({what: 'label "' + t + '"', r: box(e)});
  });
  // data: bars (not zero-size) and points along each line
  const bars = [...gd.querySelectorAll('.barlayer .point path')].map(box)
      .filter((r) => r.width > 0.5 && r.height > 0.5);
  const points = [];
  gd.querySelectorAll('.scatterlayer path.js-line').forEach((path) => {
    const length = path.getTotalLength(); const m = path.getScreenCTM();
    for (let s = 0; s <= length; s += 3) {
      const p = path.getPointAtLength(s).matrixTransform(m); points.push(p);
    }
  });
  gd.querySelectorAll('.scatterlayer .points path').forEach((e) => {
    const r = box(e); points.push({x: r.left + r.width / 2, y: r.top + r.height / 2});
  });
  const found = [];
  for (const l of labels) {
    const bar = bars.find((b) => meet(l.r, b));
    if (bar) found.push(l.what + ' covers a bar');
    const point = points.find((p) => inside(p, l.r));
    if (point) found.push(l.what + ' covers the line at ' + Math.round(point.x - svg.left) + ',' + Math.round(point.y - svg.top));
  }
  // the legend clear of the axes' tick labels
  const ticks = [...gd.querySelectorAll('.xtick text, .ytick text')].map((e) => ({t: name(e), r: box(e)}));
  for (const l of labels.filter((l) => l.what === 'legend')) {
    const tick = ticks.find((t) => t.t && meet(l.r, t.r));
    if (tick) found.push('legend covers the tick label "' + tick.t + '"');
  }
  // text on the bars or points, and label boxes, must not overlap one another
  const texts = [...gd.querySelectorAll(
      '.barlayer .bartext, .scatterlayer .textpoint text, .annotation-text-g')]
      .filter((e) => name(e)).map((e) => ({t: name(e), r: box(e)}));
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    if (meet(texts[i].r, texts[j].r)) found.push('labels "' + texts[i].t + '" and "' + texts[j].t + '" overlap');
  }
  // axis titles drawn whole
  gd.querySelectorAll('.g-xtitle text, .g-ytitle text').forEach((e) => {
    const r = box(e);
    if (r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1)
      found.push('axis title "' + name(e) + '" is cut');
  });
  return found;
}
"""


def what_hides_data(page, graph_id: str) -> list[str]:
    """Each legend or label covering data, labels overlapping, titles cut, in a drawn chart."""
    return page.evaluate(OVERLAPS_JS, graph_id)


def graph_ids(page) -> list[str]:
    return page.eval_on_selector_all(".dash-graph", "gs => gs.map(g => g.id)")
