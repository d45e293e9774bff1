/** The public site's stylesheet (served as a file: the Content-Security-Policy allows no inline styles). */
export const SITE_CSS = `
:root { --ink: #0b0c0c; --muted: #484949; --line: #b1b4b6; --link: #1d4f91; --visited: #4c2c92; --focus: #ffdd00; --bg: #fff; --panel: #f3f2f1; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--link); text-underline-offset: 0.15em; }
a:visited { color: var(--visited); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, [tabindex]:focus-visible { outline: 3px solid var(--ink); outline-offset: 0; box-shadow: 0 0 0 6px var(--focus); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--focus); color: var(--ink); padding: 0.5rem; z-index: 2; }
header.site { background: var(--ink); color: #fff; padding: 0.75rem max(1rem, calc((100% - 70rem) / 2)); display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; }
header.site a { color: #fff; }
header.site .forum { margin: 0; font-weight: 700; font-size: 1.2rem; flex: 1 1 auto; }
header.site .lang { margin: 0; }
header.site nav { flex: 1 1 100%; }
header.site nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
header.site nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
main { max-width: 70rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.4rem; margin: 1.75rem 0 0.5rem; }
h3 { font-size: 1.15rem; margin: 1.25rem 0 0.5rem; }
.lead { font-size: 1.2rem; max-width: 45rem; }
.meta { color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 700; font-size: 1.1rem; padding: 0.25rem 0 0.5rem; }
th, td { text-align: left; padding: 0.4rem 0.75rem 0.4rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); }
.num { text-align: right; }
.mid { text-align: center; }
.overdue { color: var(--bad); }
.partnership .children { margin-left: 1rem; padding-left: 1rem; border-left: 4px solid var(--panel); }
.chart-and-table { display: flex; flex-wrap: wrap; gap: 1rem 2rem; align-items: flex-start; }
figure.chart { margin: 0; max-width: 100%; }
.chart-box { overflow-x: auto; max-width: 100%; }
.chart-box svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.95rem; }
dl.timeline div { display: flex; gap: 1rem; border-bottom: 1px solid var(--line); padding: 0.3rem 0; }
dl.timeline dt { font-weight: 700; min-width: 12rem; }
dl.timeline dd { margin: 0; }
ul.candidates { list-style: none; padding: 0; }
ul.candidates li { border-left: 4px solid var(--line); padding-left: 0.75rem; margin-bottom: 0.75rem; }
article.reportback, article.issue { border-top: 1px solid var(--line); padding-top: 0.5rem; margin-top: 1rem; }
form.search { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: flex-end; background: var(--panel); padding: 1rem; }
form.search label { display: block; font-weight: 700; }
form.search > div { min-width: 0; max-width: 100%; }
form.search input, form.search select { max-width: 100%; }
main { overflow-wrap: break-word; }
input, select, button { font: inherit; min-height: 2.75rem; padding: 0.3rem 0.5rem; border: 2px solid var(--ink); border-radius: 0; background: #fff; color: var(--ink); }
button { background: #00703c; color: #fff; border-color: #00703c; font-weight: 700; cursor: pointer; }
code { font-size: 0.95em; }
ul.updates { padding-left: 1.25rem; }
ul.updates li { margin-bottom: 0.75rem; }
footer.site { border-top: 1px solid var(--line); margin-top: 2rem; padding: 1rem max(1rem, calc((100% - 70rem) / 2)); color: var(--muted); }
@media (max-width: 40rem) { h1 { font-size: 1.6rem; } dl.timeline div { flex-direction: column; gap: 0; } }
`;
