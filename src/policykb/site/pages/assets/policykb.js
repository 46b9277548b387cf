// policykb site: sortable and filterable tables, and Mermaid graphs drawn from the vendored copy
// (loaded only on pages that have one; nothing is fetched from the internet).
(function () {
  "use strict";

  function cellValue(row, index) {
    const cell = row.children[index];
    return cell ? cell.textContent.trim() : "";
  }

  function sortTable(table, index, header) {
    const body = table.tBodies[0];
    const ascending = header.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach((th) => th.removeAttribute("aria-sort"));
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    const rows = Array.from(body.rows);
    const numeric = rows.every((row) => cellValue(row, index) === "" || !isNaN(Number(cellValue(row, index))));
    rows.sort((a, b) => {
      const x = cellValue(a, index), y = cellValue(b, index);
      const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "nl", { numeric: true });
      return ascending ? order : -order;
    });
    rows.forEach((row) => body.appendChild(row));
  }

  function findHeading(element) {
    // The nearest heading before the element, for the name of its scrolling box.
    let node = element;
    while (node) {
      let previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) return previous.textContent.trim();
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
      if (node && node.tagName === "ARTICLE") break;
    }
    const title = document.querySelector("article h1");
    return title ? title.textContent.trim() : "";
  }

  function setUp() {
    document.querySelectorAll("table.pkb-sortable").forEach((table) => {
      table.querySelectorAll("th").forEach((header, index) => {
        // A button, so that the keyboard sorts too (Tab to it, Enter or Space).
        const button = document.createElement("button");
        button.type = "button";
        button.className = "pkb-sort";
        button.title = "Sorteer op deze kolom";
        while (header.firstChild) button.appendChild(header.firstChild);
        header.appendChild(button);
        // On the header, so a click anywhere in it sorts; the button's own click (Enter, Space)
        // reaches it too.
        header.addEventListener("click", () => sortTable(table, index, header));
      });
    });
    // A table wider than its box scrolls in the box: the keyboard can reach and scroll it too.
    // The box, not the table, becomes the region, so the table keeps its rows and columns.
    document.querySelectorAll(".pkb-scroll").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) {
        const heading = box.closest("article") ? findHeading(box) : "";
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading ? `Tabel: ${heading} (schuift opzij)` : "Tabel (schuift opzij)");
      }
    });
    document.querySelectorAll(".pkb-filter input").forEach((input) => {
      const next = input.closest(".pkb-filter").nextElementSibling;
      const table = next.tagName === "TABLE" ? next : next.querySelector("table");
      input.addEventListener("input", () => {
        const words = input.value.toLocaleLowerCase("nl").split(/\s+/).filter(Boolean);
        Array.from(table.tBodies[0].rows).forEach((row) => {
          const content = row.textContent.toLocaleLowerCase("nl");
          row.hidden = !words.every((word) => content.includes(word));
        });
      });
    });
    const graphs = document.querySelectorAll("pre.pkb-mermaid");
    if (graphs.length) {
      const script = document.createElement("script");
      script.src = new URL("vendor/mermaid.min.js", scriptUrl).href;
      script.onload = () => {
        // Directives in a diagram may not change these (labels are escaped too: site/html.py).
        window.mermaid.initialize({
          startOnLoad: false, securityLevel: "strict", theme: "neutral",
          secure: ["secure", "securityLevel", "startOnLoad", "maxTextSize", "theme", "themeVariables", "themeCSS",
                   "fontFamily", "altFontFamily", "htmlLabels", "flowchart", "dompurifyConfig"],
        });
        window.mermaid.run({ nodes: graphs });
      };
      document.head.appendChild(script);
    }
  }

  const scriptUrl = document.currentScript ? document.currentScript.src : "";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
