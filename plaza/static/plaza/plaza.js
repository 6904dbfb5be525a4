// Confirm before destructive actions: any form or button with data-confirm asks first.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
// htmx shows its own requests: a thin bar at the top while one is under way.
document.addEventListener("htmx:beforeRequest", () => document.body.classList.add("busy"));
document.addEventListener("htmx:afterRequest", () => document.body.classList.remove("busy"));
// No inline handlers (the Content-Security-Policy forbids them): filters that submit on change, read-only
// fields that select themselves, and the back arrow are wired here by data attributes.
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-autosubmit]") && event.target.form) event.target.form.submit();
});
document.addEventListener("click", (event) => {
  if (event.target.matches("[data-select-on-click]")) event.target.select();
  const back = event.target.closest("[data-history-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
// Bulk actions (issue 14): "全选" ticks every row's checkbox of its form (or of the form named by data-form).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  const form = all.dataset.form ? document.getElementById(all.dataset.form) : all.form;
  if (!form) return;
  // form.elements: the rows' boxes may belong to the form by their form= attribute (a table whose rows hold
  // forms of their own cannot sit inside the bulk form).
  Array.from(form.elements).forEach((box) => {
    if (box.type === "checkbox" && box.name === "pick") box.checked = all.checked;
  });
});
