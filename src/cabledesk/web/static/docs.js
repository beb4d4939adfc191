// Starts Swagger UI on /docs (an inline script would break the Content-Security-Policy).
"use strict";
window.addEventListener("load", () => {
  const root = document.getElementById("swagger-ui");
  // eslint-disable-next-line no-undef
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
