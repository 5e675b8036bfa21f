// Copy govuk-frontend's compiled JavaScript only: not its fonts (we use Arial) and not its
// images (the crest, crown and GOV.UK icons are the government's brand, not ours).
import { cpSync, mkdirSync, rmSync } from "node:fs";

const dist = "node_modules/govuk-frontend/dist/govuk";
rmSync("../static/govuk", { recursive: true, force: true });
mkdirSync("../static/govuk", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "../static/govuk/govuk-frontend.min.js");
