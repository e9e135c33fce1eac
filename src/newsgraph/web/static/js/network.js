// Co-occurrence network of an entity: nodes are entities (links to their pages), edges are
// articles naming both. Data comes from the JSON API; labels are set as text, never as HTML.
(function () {
  "use strict";
  const box = document.getElementById("network");
  if (!box || typeof d3 === "undefined") return;
  const width = box.clientWidth || 480;
  const height = 360;
  fetch(box.dataset.src, { headers: { Accept: "application/json" } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error("HTTP " + r.status))))
    .then((graph) => draw(graph))
    .catch(() => { box.textContent = "Network unavailable."; });

  function draw(graph) {
    if (!graph.nodes.length || graph.nodes.length < 2) {
      box.textContent = "No co-occurring entities yet.";
      return;
    }
    const centre = box.dataset.centre;
    const maxW = d3.max(graph.links, (l) => l.weight) || 1;
    const svg = d3.select(box).append("svg")
      .attr("viewBox", [0, 0, width, height]).attr("width", width).attr("height", height);
    const sim = d3.forceSimulation(graph.nodes)
      .force("link", d3.forceLink(graph.links).id((d) => d.id).distance(90))
      .force("charge", d3.forceManyBody().strength(-160))
      .force("center", d3.forceCenter(width / 2, height / 2))
      .force("collide", d3.forceCollide(18));
    const link = svg.append("g").attr("class", "links").selectAll("line").data(graph.links)
      .join("line").attr("stroke-width", (l) => 1 + 3 * (l.weight / maxW));
    const node = svg.append("g").attr("class", "nodes").selectAll("a").data(graph.nodes)
      .join("a").attr("href", (d) => "/entities/" + encodeURIComponent(d.id));
    node.append("circle")
      .attr("r", (d) => (d.id === centre ? 10 : 5 + Math.min(6, d.weight)))
      .attr("class", (d) => "node t-" + String(d.type || "X").replace(/[^A-Za-z]/g, "") +
        (d.id === centre ? " centre" : ""));
    node.append("title").text((d) => d.name + (d.weight ? " — " + d.weight + " shared articles" : ""));
    node.append("text").attr("dx", 9).attr("dy", 4).text((d) => d.name);
    sim.on("tick", () => {
      graph.nodes.forEach((d) => {
        d.x = Math.max(12, Math.min(width - 12, d.x));
        d.y = Math.max(12, Math.min(height - 12, d.y));
      });
      link.attr("x1", (l) => l.source.x).attr("y1", (l) => l.source.y)
        .attr("x2", (l) => l.target.x).attr("y2", (l) => l.target.y);
      node.attr("transform", (d) => "translate(" + d.x + "," + d.y + ")");
    });
    box.dataset.ready = "1";
  }
})();
