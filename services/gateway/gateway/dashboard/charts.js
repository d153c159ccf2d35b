// Small hand-written SVG charts. Every chart returns an <svg> element sized by its viewBox
// (CSS scales it); colours and line styles come from classes in styles.css, never from inline
// styles, so the page runs under a Content-Security-Policy of default-src 'self'.

const SVG = "http://www.w3.org/2000/svg";


/** An SVG element with attributes and children (strings become text nodes). */
export function s(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function linear([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** Round tick values covering [min, max], about `count` of them. */
export function ticks(min, max, count = 5) {
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= raw) ?? raw;
  const first = Math.ceil(min / step - 1e-9) * step;
  const values = [];
  for (let v = first; v <= max + step * 1e-9; v += step) values.push(Number(v.toFixed(10)));
  return values;
}

const r2 = (v) => Math.round(v * 100) / 100;

function frame({ width, height, margin, title }) {
  return s(
    "svg",
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      role: "img",
      "aria-label": title,
      preserveAspectRatio: "xMidYMid meet",
    },
    s("title", {}, title),
    s("rect", {
      class: "plot-area",
      x: margin.left,
      y: margin.top,
      width: width - margin.left - margin.right,
      height: height - margin.top - margin.bottom,
    }),
  );
}

function yAxis(svg, { scale, values, x0, x1, format, label, margin, height }) {
  for (const v of values) {
    const y = r2(scale(v));
    svg.append(
      s("line", { class: "grid", x1: x0, x2: x1, y1: y, y2: y }),
      s("text", { class: "tick", x: x0 - 6, y: y + 4, "text-anchor": "end" }, format(v)),
    );
  }
  if (label) {
    const cy = margin.top + (height - margin.top - margin.bottom) / 2;
    svg.append(
      s(
        "text",
        { class: "axis-label", transform: `translate(14 ${r2(cy)}) rotate(-90)`, "text-anchor": "middle" },
        label,
      ),
    );
  }
}

function xAxis(svg, { scale, values, y, format, label, width, margin }) {
  svg.append(s("line", { class: "axis", x1: margin.left, x2: width - margin.right, y1: y, y2: y }));
  for (const v of values) {
    const x = r2(scale(v));
    svg.append(
      s("line", { class: "axis", x1: x, x2: x, y1: y, y2: y + 4 }),
      s("text", { class: "tick", x, y: y + 18, "text-anchor": "middle" }, format(v)),
    );
  }
  if (label) {
    const cx = margin.left + (width - margin.left - margin.right) / 2;
    svg.append(s("text", { class: "axis-label", x: r2(cx), y: y + 38, "text-anchor": "middle" }, label));
  }
}

function errorBar({ x, y0, y1, cap = 4, className = "error-bar" }) {
  return s(
    "g",
    { class: className },
    s("line", { x1: x, x2: x, y1: y0, y2: y1 }),
    s("line", { x1: x - cap, x2: x + cap, y1: y0, y2: y0 }),
    s("line", { x1: x - cap, x2: x + cap, y1: y1, y2: y1 }),
  );
}

function horizontalErrorBar({ y, x0, x1, cap = 5, className = "error-bar" }) {
  return s(
    "g",
    { class: className },
    s("line", { x1: x0, x2: x1, y1: y, y2: y }),
    s("line", { x1: x0, x2: x0, y1: y - cap, y2: y + cap }),
    s("line", { x1: x1, x2: x1, y1: y - cap, y2: y + cap }),
  );
}

function truncate(text, max) {
  return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/**
 * Text labels beside points, placed on the first free spot among: right of the point, left of
 * it, then a line lower or higher on either side. Free means inside the plot and clear of every
 * point and of the labels placed before; with no free spot the label goes right of its point.
 */
function placeLabels(items, { left, right, top, bottom }) {
  const boxes = items.map((item) => ({ x0: item.x - 7, x1: item.x + 7, y0: item.y - 7, y1: item.y + 7 }));
  const clear = (box) =>
    box.x0 >= left && box.x1 <= right && box.y0 >= top && box.y1 <= bottom &&
    !boxes.some((other) => other.x0 < box.x1 && box.x0 < other.x1 && other.y0 < box.y1 && box.y0 < other.y1);
  const order = items.map((item, index) => ({ ...item, index })).sort((a, b) => a.y - b.y || a.x - b.x);
  const result = new Array(items.length);
  for (const item of order) {
    const width = item.text.length * 6.4 + 4;
    const candidates = [0, 14, -14, 28, -28].flatMap((dy) => [
      { x: item.x + 9, y: item.y + item.dy + dy, anchor: "start", x0: item.x + 9, x1: item.x + 9 + width },
      { x: item.x - 9, y: item.y + item.dy + dy, anchor: "end", x0: item.x - 9 - width, x1: item.x - 9 },
    ]);
    const box = (c) => ({ x0: c.x0, x1: c.x1, y0: c.y - 10, y1: c.y + 3 });
    const chosen = candidates.find((c) => clear(box(c))) || candidates[0];
    boxes.push(box(chosen));
    result[item.index] = { x: r2(chosen.x), y: r2(chosen.y), anchor: chosen.anchor };
  }
  return result;
}

function link(href, child) {
  return href ? s("a", { href }, child) : child;
}

/** A chart whose marks are links is a named group of them: an image's parts are out of reach
 * of the keyboard's and screen readers' users (WCAG 4.1.2, axe: nested-interactive). */
function linksReachable(svg) {
  if (svg.querySelector("a[href]")) svg.setAttribute("role", "group");
  return svg;
}

/**
 * A funnel plot (Spiegelhalter 2005): each unit's share against its n, with the 95% and 99.8%
 * control limits around the overall rate `overall` drawn as curves, and each unit's own
 * interval as an error bar. The limits and each unit's position are the quality service's
 * (GET /quality/funnel: exact binomial, widened for over-dispersion); this only draws them.
 *
 * points: [{id, label, href, n, value, low, high, tooltip, position}]
 * limits: [{n, low95, high95, low998, high998}], n ascending
 */
export function funnelPlot({ points, overall, limits, labels, formatShare }) {
  const width = 760;
  const height = 420;
  const margin = { top: 16, right: 24, bottom: 56, left: 64 };
  const svg = frame({ width, height, margin, title: labels.title });
  svg.classList.add("chart", "funnel");
  const maxN = Math.max(...points.map((p) => p.n), 10);
  const x = linear([0, maxN * 1.08], [margin.left, width - margin.right]);
  const y = linear([0, 1], [height - margin.bottom, margin.top]);
  yAxis(svg, {
    scale: y,
    values: ticks(0, 1, 5),
    x0: margin.left,
    x1: width - margin.right,
    format: (v) => formatShare(v),
    label: labels.y,
    margin,
    height,
  });
  xAxis(svg, {
    scale: x,
    values: ticks(0, maxN * 1.08, 6),
    y: height - margin.bottom,
    format: (v) => String(v),
    label: labels.x,
    width,
    margin,
  });

  // The limits as curves through the sizes the service computed them at.
  const curves = s("g", { class: "limits" });
  for (const level of ["95", "998"]) {
    for (const side of ["upper", "lower"]) {
      const key = `${side === "upper" ? "high" : "low"}${level}`;
      const d = limits.map((at, i) => `${i ? "L" : "M"}${r2(x(at.n))},${r2(y(at[key]))}`).join("");
      curves.append(
        s(
          "path",
          { class: `limit limit-${level}`, d, "data-level": level, "data-side": side },
          s("title", {}, level === "95" ? labels.limit95 : labels.limit998),
        ),
      );
    }
  }
  const yOverall = r2(y(overall));
  curves.append(
    s(
      "line",
      { class: "overall", x1: margin.left, x2: width - margin.right, y1: yOverall, y2: yOverall },
      s("title", {}, `${labels.overall}: ${formatShare(overall)}`),
    ),
  );
  svg.append(curves);

  const units = s("g", { class: "units" });
  const labelled = points.length <= 12;
  const places = placeLabels(
    points.map((point) => ({ x: x(point.n), y: y(point.value), dy: 4, text: truncate(point.label, 28) })),
    { left: margin.left, right: width - margin.right, top: margin.top, bottom: height - margin.bottom },
  );
  points.forEach((point, index) => {
    const cx = r2(x(point.n));
    const cy = r2(y(point.value));
    const position = point.position;
    const group = s("g", { class: `unit-point ${position}`, "data-id": point.id });
    if (point.low !== null && point.high !== null) {
      group.append(errorBar({ x: cx, y0: r2(y(point.low)), y1: r2(y(point.high)) }));
    }
    group.append(
      s("circle", { class: `unit ${position}`, cx, cy, r: 5.5, "data-n": point.n }, s("title", {}, point.tooltip)),
    );
    if (labelled) {
      const place = places[index];
      group.append(
        s("text", { class: "point-label", x: place.x, y: place.y, "text-anchor": place.anchor }, truncate(point.label, 28)),
      );
    }
    units.append(link(point.href, group));
  });
  svg.append(units);
  return linksReachable(svg);
}

/**
 * Rows of values with intervals on a common horizontal scale (dot and whisker). A suppressed
 * row shows its reason instead of a mark.
 *
 * rows: [{label, href, value, low, high, suppressed, reasonText, valueText, tooltip}]
 */
export function intervalRows({ rows, domain, format, title, className = "" }) {
  const rowHeight = 34;
  const width = 760;
  const margin = { top: 12, right: 150, bottom: 34, left: 250 };
  const height = margin.top + margin.bottom + rowHeight * Math.max(rows.length, 1);
  const svg = frame({ width, height, margin, title });
  svg.classList.add("chart", "interval-rows");
  if (className) svg.classList.add(className);
  const x = linear(domain, [margin.left, width - margin.right]);
  const axisY = height - margin.bottom;
  for (const v of ticks(domain[0], domain[1], 5)) {
    const gx = r2(x(v));
    svg.append(s("line", { class: "grid", x1: gx, x2: gx, y1: margin.top, y2: axisY }));
  }
  xAxis(svg, { scale: x, values: ticks(domain[0], domain[1], 5), y: axisY, format, width, margin });
  rows.forEach((row, i) => {
    const cy = margin.top + rowHeight * i + rowHeight / 2;
    const group = s("g", { class: row.suppressed ? "row suppressed" : "row interval" });
    group.append(
      link(row.href, s("text", { class: "row-label", x: margin.left - 10, y: cy + 4, "text-anchor": "end" },
        truncate(row.label, 34), s("title", {}, row.label))),
    );
    if (row.suppressed || row.value === null || row.value === undefined) {
      group.append(
        s("text", { class: "suppressed-text", x: margin.left + 6, y: cy + 4 }, truncate(row.reasonText, 80),
          s("title", {}, row.reasonText)),
      );
    } else {
      if (row.low !== null && row.high !== null) {
        group.append(horizontalErrorBar({ y: cy, x0: r2(x(row.low)), x1: r2(x(row.high)) }));
      }
      group.append(
        s("circle", { class: "estimate", cx: r2(x(row.value)), cy, r: 5 }, s("title", {}, row.tooltip)),
        s("text", { class: "row-value", x: width - margin.right + 10, y: cy + 4 }, row.valueText),
      );
    }
    svg.append(group);
  });
  return linksReachable(svg);
}

/**
 * Values over the years, one line per series, each point with its interval; suppressed points
 * are left out (the caller lists their reasons).
 *
 * years: [2024, 2025, ...]; series: [{key, label, dashed, points: {year: {value, low, high, tooltip}}}]
 */
export function trendChart({ years, series, domain, format, title, className = "" }) {
  const width = 760;
  const height = 320;
  const margin = { top: 16, right: 24, bottom: 48, left: 64 };
  const svg = frame({ width, height, margin, title });
  svg.classList.add("chart", "trend");
  if (className) svg.classList.add(className);
  const step = (width - margin.left - margin.right) / Math.max(years.length, 1);
  const x = (year) => margin.left + step * (years.indexOf(year) + 0.5);
  const y = linear(domain, [height - margin.bottom, margin.top]);
  yAxis(svg, {
    scale: y,
    values: ticks(domain[0], domain[1], 5),
    x0: margin.left,
    x1: width - margin.right,
    format,
    margin,
    height,
  });
  const axisY = height - margin.bottom;
  svg.append(s("line", { class: "axis", x1: margin.left, x2: width - margin.right, y1: axisY, y2: axisY }));
  for (const year of years) {
    svg.append(s("text", { class: "tick", x: r2(x(year)), y: axisY + 18, "text-anchor": "middle" }, String(year)));
  }
  series.forEach((line, index) => {
    const offset = (index - (series.length - 1) / 2) * 10; // side by side, bars never overlap
    const group = s("g", { class: `series series-${index}${line.dashed ? " dashed" : ""}`, "data-series": line.key });
    const published = years.filter((year) => line.points[year] && line.points[year].value !== null);
    if (published.length > 1) {
      const d = published
        .map((year, i) => `${i ? "L" : "M"}${r2(x(year) + offset)},${r2(y(line.points[year].value))}`)
        .join("");
      group.append(s("path", { class: "trend-line", d }));
    }
    for (const year of published) {
      const point = line.points[year];
      const cx = r2(x(year) + offset);
      if (point.low !== null && point.low !== undefined && point.high !== null) {
        group.append(errorBar({ x: cx, y0: r2(y(point.low)), y1: r2(y(point.high)), cap: 3 }));
      }
      group.append(s("circle", { class: "point", cx, cy: r2(y(point.value)), r: 4.5, "data-year": year },
        s("title", {}, point.tooltip)));
    }
    svg.append(group);
  });
  return svg;
}

/**
 * Importance–performance (Martilla & James 1977): performance across, importance up, the
 * cross-hairs at the given means, each quadrant named.
 *
 * points: [{code, label, importance, performance, quadrant, tooltip}]
 */
export function quadrantChart({ points, crossX, crossY, labels }) {
  const width = 760;
  const height = 480;
  const margin = { top: 20, right: 24, bottom: 56, left: 64 };
  const svg = frame({ width, height, margin, title: labels.title });
  svg.classList.add("chart", "quadrant");
  const values = points.flatMap((p) => [p.importance, p.performance]);
  const lo = Math.max(1, Math.floor(Math.min(...values, crossX, crossY) - 0.5));
  const hi = Math.min(5, Math.ceil(Math.max(...values, crossX, crossY) + 0.5));
  // A band beyond the scale on every side keeps points off the edges and the quadrant names.
  const x = linear([lo - 0.3, hi + 0.3], [margin.left, width - margin.right]);
  const y = linear([lo - 0.4, hi + 0.4], [height - margin.bottom, margin.top]);
  const format = (v) => String(v);
  yAxis(svg, { scale: y, values: ticks(lo, hi, 4), x0: margin.left, x1: width - margin.right, format,
    label: labels.y, margin, height });
  xAxis(svg, { scale: x, values: ticks(lo, hi, 4), y: height - margin.bottom, format, label: labels.x,
    width, margin });
  const cx = r2(x(crossX));
  const cy = r2(y(crossY));
  svg.append(
    s("line", { class: "crosshair", x1: cx, x2: cx, y1: margin.top, y2: height - margin.bottom }),
    s("line", { class: "crosshair", x1: margin.left, x2: width - margin.right, y1: cy, y2: cy }),
  );
  const corner = [
    ["concentrate_here", margin.left + 8, margin.top + 16, "start"],
    ["keep_up_the_good_work", width - margin.right - 8, margin.top + 16, "end"],
    ["low_priority", margin.left + 8, height - margin.bottom - 8, "start"],
    ["possible_overkill", width - margin.right - 8, height - margin.bottom - 8, "end"],
  ];
  for (const [quadrant, qx, qy, anchor] of corner) {
    svg.append(s("text", { class: `quadrant-label ${quadrant}`, x: qx, y: qy, "text-anchor": anchor },
      labels.quadrants[quadrant]));
  }
  const group = s("g", { class: "competencies" });
  const places = placeLabels(
    points.map((point) => ({ x: x(point.performance), y: y(point.importance), dy: 4, text: truncate(point.label, 26) })),
    { left: margin.left, right: width - margin.right, top: margin.top + 20, bottom: height - margin.bottom - 14 },
  );
  points.forEach((point, index) => {
    const px = r2(x(point.performance));
    const py = r2(y(point.importance));
    const place = places[index];
    group.append(
      s("g", { class: `competency ${point.quadrant}`, "data-code": point.code },
        s("circle", { class: `ip-point ${point.quadrant}`, cx: px, cy: py, r: 6 }, s("title", {}, point.tooltip)),
        s("text", { class: "point-label", x: place.x, y: place.y, "text-anchor": place.anchor }, truncate(point.label, 26))),
    );
  });
  svg.append(group);
  return svg;
}

/** A difference with its interval on a scale around zero (members − non-members). */
export function differenceChart({ value, low, high, labels, formatShare }) {
  const width = 760;
  const height = 110;
  const margin = { top: 20, right: 24, bottom: 40, left: 24 };
  const svg = frame({ width, height, margin, title: labels.title });
  svg.classList.add("chart", "difference");
  const extent = Math.min(1, Math.max(0.25, Math.abs(low), Math.abs(high)) * 1.15);
  const x = linear([-extent, extent], [margin.left, width - margin.right]);
  const axisY = height - margin.bottom;
  xAxis(svg, { scale: x, values: ticks(-extent, extent, 6), y: axisY, format: formatShare, width, margin });
  const zero = r2(x(0));
  const cy = margin.top + (axisY - margin.top) / 2;
  svg.append(
    s("line", { class: "zero", x1: zero, x2: zero, y1: margin.top - 6, y2: axisY }),
    horizontalErrorBar({ y: cy, x0: r2(x(low)), x1: r2(x(high)), cap: 7 }),
    s("circle", { class: "estimate", cx: r2(x(value)), cy, r: 6 }, s("title", {}, labels.tooltip)),
  );
  return svg;
}

/** One value with its interval on a small bar (for indicator cards). */
export function miniInterval({ value, low, high, domain, title }) {
  const width = 200;
  const height = 26;
  const x = linear(domain, [6, width - 6]);
  const svg = s("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title,
    class: "mini-interval" }, s("title", {}, title));
  svg.append(s("line", { class: "track", x1: 6, x2: width - 6, y1: 13, y2: 13 }));
  if (low !== null && high !== null && low !== undefined) {
    svg.append(s("rect", { class: "band", x: r2(x(low)), y: 7, width: Math.max(1, r2(x(high) - x(low))), height: 12,
      rx: 3 }));
  }
  svg.append(s("circle", { class: "estimate", cx: r2(x(value)), cy: 13, r: 5 }));
  return svg;
}
