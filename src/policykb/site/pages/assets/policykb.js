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

  // A word typed in a filter matches where a word starts ("IND" finds the IND, not "kINDeren").
  function wordsOf(value) {
    return value.toLocaleLowerCase("nl").split(/\s+/).filter(Boolean);
  }

  function startsAWord(content, word) {
    const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp("(^|[^\\p{L}\\p{N}])" + escaped, "u").test(content.toLocaleLowerCase("nl"));
  }

  // A filter's choices in the page's address, so a filtered view can be shared: only its own keys
  // are set or removed (the search's highlight, ?h=, stays).
  function keepInAddress(values) {
    const query = new URLSearchParams(window.location.search);
    Object.entries(values).forEach(([key, value]) => (value ? query.set(key, value) : query.delete(key)));
    const search = query.toString();
    window.history.replaceState(null, "", (search ? `?${search}` : window.location.pathname) + window.location.hash);
  }

  // The measures list's filters: every choice must hold (a row carries the ids it matches in
  // data-* attributes), and the choices are kept in the address so a filtered view can be shared.
  function setUpFilters(form) {
    const table = form.nextElementSibling.querySelector("table") || form.nextElementSibling;
    const rows = Array.from(table.tBodies[0].rows);
    const selects = Array.from(form.querySelectorAll("select"));
    const words = form.querySelector("input[name=tekst]");
    const count = form.querySelector(".pkb-filter-count");
    const params = new URLSearchParams(window.location.search);
    selects.forEach((select) => {
      const wanted = params.get(select.name);
      if (wanted && Array.from(select.options).some((option) => option.value === wanted)) select.value = wanted;
    });
    if (words && params.get("tekst")) words.value = params.get("tekst");
    function apply() {
      const chosen = selects.filter((select) => select.value);
      const typed = words ? wordsOf(words.value) : [];
      let shown = 0;
      rows.forEach((row) => {
        const title = row.cells[0] ? row.cells[0].textContent : "";
        const visible =
          chosen.every((select) => (row.dataset[select.name] || "").split(" ").includes(select.value)) &&
          typed.every((word) => startsAWord(title, word));
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) count.textContent = `${shown} van ${rows.length} maatregelen`;
      keepInAddress(
        Object.fromEntries(selects.map((select) => [select.name, select.value]).concat(
          words ? [["tekst", words.value.trim()]] : []))
      );
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    apply();
  }

  // A matrix's filter: only the measures with a relation to one column (an organisation, an
  // instrument), and words in the title; kept in the address like the measures list's.
  function setUpMatrixFilter(form) {
    const table = form.nextElementSibling.querySelector("table");
    const keys = Array.from(table.tHead.rows[0].cells).map((cell) => cell.dataset.key || "");
    const select = form.querySelector("select[name=met]");
    const words = form.querySelector("input[name=tekst]");
    const count = form.querySelector(".pkb-filter-count");
    const params = new URLSearchParams(window.location.search);
    if (params.get("met") && keys.includes(params.get("met"))) select.value = params.get("met");
    if (params.get("tekst")) words.value = params.get("tekst");
    const body = Array.from(table.tBodies).flatMap((section) => Array.from(section.rows));
    function apply() {
      const column = keys.indexOf(select.value);
      const typed = wordsOf(words.value);
      let shown = 0, total = 0, group = null, groupShown = 0;
      const close = () => { if (group) group.hidden = groupShown === 0; };
      body.forEach((row) => {
        if (row.classList.contains("pkb-matrix-group")) { close(); group = row; groupShown = 0; return; }
        total += 1;
        const visible = (column < 1 || row.cells[column].textContent.trim() !== "") &&
          typed.every((word) => startsAWord(row.cells[0].textContent, word));
        row.hidden = !visible;
        if (visible) { shown += 1; groupShown += 1; }
      });
      close();
      count.textContent = `${shown} van ${total} maatregelen`;
      keepInAddress({ met: select.value, tekst: words.value.trim() });
    }
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", (event) => event.preventDefault());
    apply();
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
        const words = wordsOf(input.value);
        Array.from(table.tBodies[0].rows).forEach((row) => {
          row.hidden = !words.every((word) => startsAWord(row.textContent, word));
        });
      });
    });
    document.querySelectorAll("form[data-pkb-filters]").forEach(setUpFilters);
    document.querySelectorAll("form[data-pkb-matrix-filter]").forEach(setUpMatrixFilter);
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

  // The theme's search (lunr) finds pages with any of the words typed, each as a prefix: "Ter Apel"
  // ranks "terugkeer" first, and a hyphen that ends a word ("Immigratie- en Naturalisatiedienst",
  // the Dutch way of sharing half a compound) reads as an operator and finds everything but the IND.
  // Its queries go to its search worker as {type: 2, data: query}; there a query of several words
  // asks for all of them (lunr's "+"), the last one as a prefix (it may still be being typed),
  // without the hyphen and without the Dutch stop words the index leaves out ("en"), which no
  // page would match. A query with the search's own operators or quotes is left as it is, and so
  // is what the person typed in the box. (The browser tests search the IND by its full name.)
  const STOP = new Set(("aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door " +
    "dus een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is " +
    "ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook " +
    "op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil worden " +
    "wordt zal ze zelf zich zij zijn zo zonder zou").split(" "));

  function allWords(query) {
    if (/["+~^*:]|(^|\s)-/.test(query)) return query;
    const words = query.replace(/(\S)-(?=\s|$)/g, "$1").split(/\s+/).filter(Boolean);
    const kept = words.filter((word) => !STOP.has(word.toLocaleLowerCase("nl")));
    if (kept.length < 2) return kept.join(" ") || query;
    return kept.map((word, index) => `+${word}${index === kept.length - 1 ? "*" : ""}`).join(" ");
  }

  const postMessage = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === 2 && typeof message.data === "string") {
      message = { ...message, data: allWords(message.data) };
    }
    return postMessage.call(this, message, ...rest);
  };

  const scriptUrl = document.currentScript ? document.currentScript.src : "";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
