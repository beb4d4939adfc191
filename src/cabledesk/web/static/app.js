// Small progressive enhancements for the pages; everything works without it.
"use strict";
document.documentElement.classList.add("js");
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.submit());
}
