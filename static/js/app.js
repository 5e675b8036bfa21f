// Progressive enhancement only: every page works without JavaScript. A module script runs
// only in browsers GOV.UK Frontend supports, so it can mark the page as supported itself (the
// Content Security Policy allows no inline script).
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
