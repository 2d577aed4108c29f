/**
 * A form that posts one JSON document (a rule set, the consortium map, a campaign) from a code
 * textarea with its label and help text: the admin pages' editors.
 */
export function DocumentForm(p: {
  action: string;
  /** The textarea's id (`f-…`); its help text is `${id}-help`. */
  id: string;
  name: string;
  label: string;
  help: string;
  rows: number;
  value: string;
  submit: string;
}) {
  return (
    <form method="post" action={p.action}>
      <div class="field">
        <label for={p.id}>{p.label}</label>
        <p class="help" id={`${p.id}-help`}>
          {p.help}
        </p>
        <textarea
          id={p.id}
          name={p.name}
          rows={p.rows}
          class="code"
          aria-describedby={`${p.id}-help`}
          spellcheck={false}
        >
          {p.value}
        </textarea>
      </div>
      <button type="submit">{p.submit}</button>
    </form>
  );
}
