// The reading page: remember how far the reader scrolled and count down the minimum reading time; once both the
// end is reached and the time is up, report it once to the server, which measures the reading time itself and
// answers what 阅读豆 were granted or why not. A short article that fits on the screen is at its end from the
// start, so the countdown alone decides; pressing the button early shows the time left and reports when it is up.
(() => {
  const form = document.getElementById("reading-form");
  if (!form) return;
  const article = document.querySelector("[data-testid=article]");
  const progressField = form.querySelector("[name=progress]");
  const status = document.getElementById("reading-status");
  const button = form.querySelector("button[type=submit]");
  const minimum = Number(form.dataset.minSeconds || 0);
  // The server's clock started when it served the page, before this one: waiting this long here is enough there.
  const readyAt = Date.now() + minimum * 1000 + 500;
  const templates = {
    wait: form.dataset.waitText || "",
    end: form.dataset.endText || "",
  };
  let best = 0;
  let sent = false;
  let wanted = false;

  const measure = () => {
    const bottom = article.getBoundingClientRect().bottom + window.scrollY;
    const seen = window.scrollY + window.innerHeight;
    best = Math.max(best, Math.min(1, bottom > 0 ? seen / bottom : 1));
    progressField.value = best.toFixed(3);
    return best;
  };
  const secondsLeft = () => Math.max(0, Math.ceil((readyAt - Date.now()) / 1000));
  const atEnd = () => measure() >= 0.98;

  const report = async () => {
    if (sent) return;
    sent = true;
    measure();
    if (status) status.textContent = "";
    const response = await fetch(form.action, {
      method: "POST", body: new FormData(form), headers: {"X-Requested-With": "fetch"}, credentials: "same-origin",
    });
    document.getElementById("beans").innerHTML = await response.text();
  };
  const show = () => {
    const left = secondsLeft();
    if (!status || sent) return;
    if (left > 0) status.textContent = (atEnd() || wanted ? templates.end : templates.wait).replace("%s", left);
    else status.textContent = "";
  };
  const tick = () => {
    if (sent) return;
    if (secondsLeft() === 0 && (atEnd() || wanted)) {
      report();
      return;
    }
    show();
    window.setTimeout(tick, 250);
  };

  window.addEventListener("scroll", () => {
    if (!sent && atEnd() && secondsLeft() === 0) report();
  }, {passive: true});
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (secondsLeft() > 0) {  // too early: say how long is left, and claim the beans when the time is up
      wanted = true;
      show();
      return;
    }
    sent = false;
    report();
  });
  if (button) button.disabled = false;
  measure();
  tick();
})();
