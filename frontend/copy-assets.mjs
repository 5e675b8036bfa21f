// After Sass: copy govuk-frontend's compiled JavaScript, and drop the CSS's reference to the
// GOV.UK crest. We ship neither its fonts (we use Arial) nor its images (the crest, crown and
// GOV.UK icons are the government's brand, not ours), and a url() to a file that does not
// exist would break `collectstatic`'s hashed file names.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const dist = "node_modules/govuk-frontend/dist/govuk";
rmSync("../static/govuk", { recursive: true, force: true });
mkdirSync("../static/govuk", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "../static/govuk/govuk-frontend.min.js");

const css = "../static/css/app.css";
const text = readFileSync(css, "utf8").replace(/url\(["']?[^)"']*govuk-crest\.svg["']?\)/g, "none");
if (/url\(["']?\/static\/govuk\/assets/.test(text)) {
  throw new Error("app.css still refers to GOV.UK assets that are not shipped");
}
writeFileSync(css, text);
