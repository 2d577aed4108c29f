import type { Child } from "hono/jsx";

/**
 * The numbers behind a chart, folded away under a summary: a compact table with its caption, in a
 * wrapper that scrolls sideways on a phone instead of the page. `children` are thead, tbody, tfoot.
 */
export function FoldedTable(p: { summary: string; caption: string; children: Child }) {
  return (
    <details class="data">
      <summary>{p.summary}</summary>
      <div class="table-wrap">
        <table class="compact">
          <caption>{p.caption}</caption>
          {p.children}
        </table>
      </div>
    </details>
  );
}

/** A right-aligned number cell; a total is set in bold. */
export function NumCell(p: { children: Child; total?: boolean }) {
  return <td class="num">{p.total ? <strong>{p.children}</strong> : p.children}</td>;
}

/** A table's head row: text columns first, then right-aligned number columns. */
export function HeadRow(p: { text: readonly string[]; numbers: readonly string[] }) {
  return (
    <thead>
      <tr>
        {p.text.map((label) => (
          <th scope="col">{label}</th>
        ))}
        {p.numbers.map((label) => (
          <th scope="col" class="num">
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
