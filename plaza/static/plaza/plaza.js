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
