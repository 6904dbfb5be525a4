// Confirm before destructive actions: any form or button with data-confirm asks first.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
// htmx shows its own requests: a thin bar at the top while one is under way.
document.addEventListener("htmx:beforeRequest", () => document.body.classList.add("busy"));
document.addEventListener("htmx:afterRequest", () => document.body.classList.remove("busy"));
