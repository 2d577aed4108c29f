/** The one stylesheet: plain CSS, served from the app itself so that the CSP can stay 'self'. */
export const APP_CSS = `
:root { --ink:#1b1f24; --muted:#555e68; --line:#c9d0d6; --accent:#0b5394; --accent-ink:#fff; --bad:#b3261e; --ok:#1e6b32; --bg:#f6f8fa; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 17px; line-height: 1.5; color: var(--ink); background: #fff; }
body { margin: 0; }
.wrap { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
.wide .wrap, main.wide { max-width: 72rem; }
a { color: var(--accent); }
/* Focus: a dark ring with a yellow halo, at least 3:1 against white and against the blue header alike. */
a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid var(--ink); outline-offset: 2px; box-shadow: 0 0 0 7px #f9b000; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; }
.skip:focus { left: .5rem; z-index: 10; }
header.site { background: var(--accent); color: var(--accent-ink); padding: .75rem 0; }
header.site .wrap { display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: baseline; }
header.site a { color: var(--accent-ink); }
.brand { font-weight: 700; font-size: 1.3rem; text-decoration: none; }
.tagline { flex: 1; font-size: .9rem; }
main { padding-top: 1.5rem; padding-bottom: 3rem; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding: 1rem 0; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; }
.lead { font-size: 1.05rem; color: var(--muted); }
fieldset { border: 0; padding: 0; margin: 0 0 1.5rem; }
fieldset > legend { font-weight: 700; font-size: 1.2rem; margin-bottom: .5rem; padding: 0; }
fieldset.inline > legend { font-size: 1rem; }
.field { margin-bottom: 1.1rem; }
.field > label { display: block; font-weight: 600; }
.hint { font-weight: 400; color: var(--muted); }
.help { margin: .1rem 0 .3rem; color: var(--muted); font-size: .92rem; }
input[type=text], input[type=search], input[type=email], input[type=tel], input[type=number], select, textarea {
  width: 100%; font: inherit; padding: .55rem .6rem; border: 2px solid #6b7580; border-radius: 4px; background: #fff; }
input.short { max-width: 14rem; }
textarea { min-height: 9rem; }
.choice { display: flex; gap: .5rem; align-items: flex-start; margin: .35rem 0; font-weight: 400; }
.choice input { width: 1.2rem; height: 1.2rem; margin-top: .2rem; flex: none; }
.field > label.choice { display: flex; font-weight: 400; }
.has-error { border-left: 4px solid var(--bad); padding-left: .75rem; }
.has-error input, .has-error select, .has-error textarea { border-color: var(--bad); }
.error { color: var(--bad); font-weight: 600; margin: .2rem 0; }
.error-summary { border: 3px solid var(--bad); padding: .75rem 1rem; margin-bottom: 1.5rem; }
.error-summary h2 { margin-top: 0; font-size: 1.15rem; }
.error-summary a { color: var(--bad); font-weight: 600; }
.hp { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
button, .button { font: inherit; font-weight: 600; background: var(--accent); color: var(--accent-ink); border: 0; border-radius: 4px; padding: .65rem 1.4rem; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); border: 2px solid var(--accent); }
.confirmation { background: #e8f3ea; border-left: 6px solid var(--ok); padding: .75rem 1.25rem; margin-bottom: 1.5rem; }
.confirmation h1 { font-size: 1.5rem; }
.reference { font-size: 1.3rem; letter-spacing: .05em; white-space: nowrap; }
.nowrap { white-space: nowrap; }
.confirmation a { overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.badge { white-space: nowrap; display: inline-block; padding: .1rem .55rem; border-radius: 999px; background: var(--bg); border: 1px solid var(--line); font-size: .92rem; }
/* The timeline: each entry its date, then what happened, then its words as a block of their own. */
.timeline { padding-left: 1.2rem; }
.timeline li { margin-bottom: .8rem; }
.timeline time { display: block; color: var(--muted); font-size: .92rem; }
.timeline .quote { margin: .3rem 0 0; padding: .4rem .75rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9rem; }
pre { background: var(--bg); padding: .75rem; overflow-x: auto; }
nav.staff { display: flex; gap: 1rem; align-items: baseline; }
.inline-form { display: inline; margin: 0; }
button.link { background: none; border: 0; padding: 0; color: inherit; text-decoration: underline; font-weight: 400; }
main.wrap.wide { max-width: 72rem; }
.counts { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; }
.counts a { display: inline-block; padding: .2rem .6rem; border: 1px solid var(--line); border-radius: 999px; text-decoration: none; }
.counts a[aria-current] { background: var(--accent); color: var(--accent-ink); }
.filters { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-end; margin: 1rem 0; }
.filters .field { margin: 0; }
.filters .field.search { flex: 1 1 100%; }
.filters .help { margin-top: 0; }
mark { background: #fff3a8; color: inherit; padding: 0 .1em; }
.hit { margin: .3rem 0 0; font-size: .9rem; color: var(--muted); overflow-wrap: anywhere; }
.hit mark { color: var(--ink); }
/* Due times: overdue in the error colour, due today in amber, both with a border that says so in shape too. */
.due { white-space: nowrap; }
.due-overdue, .due-due-today, .due-missed { display: inline-block; padding: 0 .45rem; border-radius: 4px; font-weight: 600; }
.due-overdue, .due-missed { color: var(--bad); background: #fdecea; border: 1px solid var(--bad); }
.due-due-today { color: #5c3d00; background: #fff1c2; border: 1px dashed #8a5a00; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
.panel h2 { margin-top: .25rem; }
.notice { border-left: 6px solid var(--bad); background: #fdecea; padding: .5rem 1rem; }
.quote { white-space: pre-wrap; background: var(--bg); padding: .75rem; border-radius: 4px; }
.table-wrap { overflow-x: auto; }
textarea.code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; }
/* statistics: server-drawn SVG charts with their tables */
.chart-svg { width: 100%; height: auto; display: block; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0 0 1rem; }
figure.chart.bars { max-width: 46rem; }
figure.chart.small { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .5rem .25rem; }
figure.chart figcaption { font-size: .95rem; margin-bottom: .25rem; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem 1.25rem; list-style: none; padding: 0; margin: .5rem 0 1rem; }
.legend li { display: flex; align-items: center; gap: .4rem; }
details.data { margin: .25rem 0 1.5rem; }
details.data summary { cursor: pointer; color: var(--accent); }
table.compact { font-size: .88rem; width: auto; }
table.compact th, table.compact td { padding: .2rem .5rem; white-space: nowrap; }
table.compact caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
.stats-form input[type=date] { font: inherit; padding: .5rem .6rem; border: 2px solid #6b7580; border-radius: 4px; background: #fff; }
.notice-info { border-left: 6px solid var(--accent); background: var(--bg); padding: .5rem 1rem; }
@media (max-width: 50rem) { .grid2 { grid-template-columns: 1fr; } }
@media (max-width: 40rem) { html { font-size: 16px; } dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .4rem; }
  /* Phone: the site name and the language on one line, the tagline under them; dates above their events. */
  header.site .tagline { order: 3; flex-basis: 100%; }
  header.site .lang { margin-left: auto; }
  /* The case list as one card per case, each value under its column's name. */
  .filters .field { flex: 1 1 100%; }
  table.cases thead { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
  table.cases, table.cases tbody, table.cases tr, table.cases td { display: block; width: 100%; }
  table.cases tr { border-bottom: 2px solid var(--line); padding: .5rem 0; }
  table.cases td { border: 0; padding: .15rem 0; }
  table.cases td::before { content: attr(data-label) ": "; font-weight: 600; }
  .due { white-space: normal; } }
`;
