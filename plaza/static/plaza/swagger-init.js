// The API docs page (/api/v1/docs): Swagger UI from /static/vendor/ (npm swagger-ui-dist), no inline script.
// "Try it out" uses the signed-in session, so unsafe methods carry the CSRF token as the pages' forms do.
const config = JSON.parse(document.getElementById("swagger-settings").textContent);
const csrfToken = document.body.dataset.csrfToken;
config.dom_id = "#swagger-ui";
config.presets = [SwaggerUIBundle.presets.apis];
if (csrfToken) {
  config.requestInterceptor = (request) => {
    request.headers["X-CSRFToken"] = csrfToken;
    return request;
  };
}
SwaggerUIBundle(config);
