// SPARQL in the browser, offline: Oxigraph (WebAssembly, vendored) loads the site's own dump
// (data/kb.nt and the vocabulary data/policykb.ttl) and answers the query in the text box.
// Results are written with textContent only: nothing from the data or the query runs as HTML.
import init, { Store } from "./vendor/oxigraph.js";

const form = document.querySelector("#pkb-sparql");
if (form) {
  const box = form.querySelector("textarea");
  const button = form.querySelector("button");
  const state = form.querySelector(".pkb-sparql-state");
  const output = form.querySelector(".pkb-sparql-result");
  const assets = new URL(".", import.meta.url);
  const data = new URL("../data/", assets);
  let store = null;

  async function ready() {
    if (store) return store;
    state.textContent = "De gegevens worden geladen …";
    await init(new URL("vendor/oxigraph_bg.wasm", assets));
    const loaded = new Store();
    for (const [file, format] of [["kb.nt", "application/n-triples"], ["policykb.ttl", "text/turtle"]]) {
      const response = await fetch(new URL(file, data));
      if (!response.ok) throw new Error(`${file} kon niet worden geladen (${response.status})`);
      loaded.load(await response.text(), { format });
    }
    store = loaded;
    return store;
  }

  function cell(term) {
    if (term === undefined) return "";
    return term.value;
  }

  function show(result) {
    output.replaceChildren();
    if (typeof result === "boolean") {
      output.textContent = result ? "ja (true)" : "nee (false)";
      return 1;
    }
    if (!Array.isArray(result)) {
      const pre = document.createElement("pre");
      pre.textContent = String(result);
      output.append(pre);
      return 1;
    }
    if (result.length && !(result[0] instanceof Map)) {  // CONSTRUCT / DESCRIBE: triples
      const pre = document.createElement("pre");
      pre.textContent = result.map((quad) => `${quad.subject.value}  ${quad.predicate.value}  ${quad.object.value}`).join("\n");
      output.append(pre);
      return result.length;
    }
    const variables = [];
    for (const row of result) for (const key of row.keys()) if (!variables.includes(key)) variables.push(key);
    const table = document.createElement("table");
    table.className = "pkb-table";
    table.dataset.kind = "sparql-result";
    const head = table.createTHead().insertRow();
    for (const name of variables) {
      const th = document.createElement("th");
      th.textContent = name;
      head.append(th);
    }
    const body = table.createTBody();
    for (const row of result) {
      const tr = body.insertRow();
      for (const name of variables) tr.insertCell().textContent = cell(row.get(name));
    }
    output.append(table);
    return result.length;
  }

  async function run(event) {
    if (event) event.preventDefault();
    button.disabled = true;
    try {
      const loaded = await ready();
      state.textContent = "Bezig …";
      const started = performance.now();
      const rows = show(loaded.query(box.value));
      state.textContent = `${rows} resultaat/resultaten in ${Math.round(performance.now() - started)} ms.`;
    } catch (error) {
      output.replaceChildren();
      state.textContent = `De vraag kon niet worden uitgevoerd: ${error.message || error}`;
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", run);
  for (const example of document.querySelectorAll("button[data-pkb-example]")) {
    example.addEventListener("click", () => {
      const source = document.getElementById(example.dataset.pkbExample);
      box.value = source ? source.textContent : "";
      form.scrollIntoView();
      run();
    });
  }
}
