// Event timeline: a bar per day stacked by event type, drawn from the server-rendered list
// (li.event[data-date][data-type]). Clicking a bar shows only that day's events.
(function () {
  "use strict";
  if (typeof d3 === "undefined") return;
  document.querySelectorAll(".timeline-chart").forEach(function (box) {
    const list = document.getElementById(box.dataset.for);
    if (!list) return;
    const items = Array.from(list.querySelectorAll("li.event"))
      .filter((li) => /^\d{4}-\d{2}-\d{2}$/.test(li.dataset.date));
    if (!items.length) { box.textContent = "No dated events to chart."; return; }
    const days = d3.rollup(items, (v) => d3.rollup(v, (w) => w.length, (li) => li.dataset.type),
      (li) => li.dataset.date);
    const types = Array.from(new Set(items.map((li) => li.dataset.type))).sort();
    const rows = Array.from(days, ([day, byType]) => {
      const row = { day: new Date(day + "T00:00:00Z"), key: day };
      types.forEach((t) => { row[t] = byType.get(t) || 0; });
      return row;
    }).sort((a, b) => a.day - b.day);
    const width = box.clientWidth || 640, height = 160, m = { t: 8, r: 8, b: 22, l: 28 };
    const lo = d3.utcDay.offset(rows[0].day, -1), hi = d3.utcDay.offset(rows[rows.length - 1].day, 1);
    const x = d3.scaleUtc().domain([lo, hi]).range([m.l, width - m.r]);
    const series = d3.stack().keys(types)(rows);
    const y = d3.scaleLinear().domain([0, d3.max(series, (s) => d3.max(s, (d) => d[1])) || 1])
      .nice().range([height - m.b, m.t]);
    const colour = d3.scaleOrdinal(types, d3.schemeTableau10);
    const bw = Math.max(3, Math.min(24, (width - m.l - m.r) / (d3.utcDay.count(lo, hi) + 1) - 2));
    const svg = d3.select(box).append("svg").attr("viewBox", [0, 0, width, height])
      .attr("width", width).attr("height", height);
    svg.append("g").selectAll("g").data(series).join("g").attr("fill", (s) => colour(s.key))
      .selectAll("rect").data((s) => s.filter((d) => d[1] > d[0])).join("rect")
      .attr("x", (d) => x(d.data.day) - bw / 2).attr("width", bw)
      .attr("y", (d) => y(d[1])).attr("height", (d) => y(d[0]) - y(d[1]))
      .on("click", (_, d) => show(d.data.key))
      .append("title").text((d) => d.data.key);
    svg.append("g").attr("transform", "translate(0," + (height - m.b) + ")")
      .call(d3.axisBottom(x).ticks(Math.min(8, rows.length + 1)));
    svg.append("g").attr("transform", "translate(" + m.l + ",0)").call(d3.axisLeft(y).ticks(4));
    const legend = d3.select(box).append("p").attr("class", "legend");
    types.forEach((t) => {
      const s = legend.append("span").attr("class", "key");
      s.append("svg").attr("width", 10).attr("height", 10).append("rect")
        .attr("width", 10).attr("height", 10).attr("fill", colour(t));
      s.append("span").text(" " + t + " ");
    });
    legend.append("button").attr("type", "button").text("show all").on("click", () => show(null));
    function show(day) {
      items.forEach((li) => { li.hidden = day !== null && li.dataset.date !== day; });
    }
    box.dataset.ready = "1";
  });
})();
