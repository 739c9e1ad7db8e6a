// chapbook serve: reload this page when a rebuild lands; show what failed when one fails.
// Added to each HTML page by the preview server only: the built files carry no script.
(() => {
  "use strict";
  const OVERLAY = "chapbook-preview-failure";
  const source = new EventSource("/__chapbook__/events");
  source.addEventListener("reload", () => window.location.reload());
  source.addEventListener("failed", (event) => show(JSON.parse(event.data)));

  function show(failure) {
    document.getElementById(OVERLAY)?.remove();
    const box = document.createElement("section");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.setAttribute("aria-labelledby", OVERLAY + "-title");
    box.style.cssText = [
      "position:fixed", "inset:auto 0 0 0", "max-height:60vh", "overflow:auto",
      "z-index:2147483647", "margin:0", "padding:1rem 1.25rem", "background:#fff8f6",
      "color:#1a1a1a", "border-top:4px solid #b3261e", "font:14px/1.45 ui-monospace,monospace",
      "box-shadow:0 -4px 16px rgba(0,0,0,.25)",
    ].join(";");
    const title = document.createElement("h2");
    title.id = OVERLAY + "-title";
    title.style.cssText = "margin:0 0 .5rem;font:bold 16px/1.3 system-ui,sans-serif;color:#b3261e";
    title.textContent = `The ${failure.stage} rebuild failed: this page is the last good build`;
    const list = document.createElement("ul");
    list.style.cssText = "margin:0;padding-left:1.2rem";
    for (const problem of failure.problems) {
      const item = document.createElement("li");
      const where = problem.where ? `${problem.where}: ` : "";
      item.textContent = `${where}${problem.severity}: ${problem.message} [${problem.code}]`;
      if (problem.hint) {
        const hint = document.createElement("div");
        hint.textContent = `hint: ${problem.hint}`;
        hint.style.opacity = "0.8";
        item.append(hint);
      }
      list.append(item);
    }
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.style.cssText = "margin-top:.75rem";
    close.addEventListener("click", () => box.remove());
    box.append(title, list, close);
    document.body.append(box);
  }
})();
