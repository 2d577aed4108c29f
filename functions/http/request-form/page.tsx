import type { Child } from "hono/jsx";
import type { FormValues } from "#functions/http/commons/form-body.ts";
import { Layout } from "#functions/http/commons/layout.tsx";
import { fill, type Lang } from "#functions/http/i18n/lang.ts";
import {
  needChoiceLabel,
  type PublicMessages,
  timeframeLabel,
} from "#functions/http/i18n/public-messages.ts";
import { TIMEFRAMES } from "#shared/intake/request-schema.ts";
import { NEEDS } from "#shared/needs.ts";
import { MUNICIPALITIES } from "#shared/reference/municipalities.ts";
import { HONEYPOT_FIELD } from "./form-payload.ts";

/**
 * The municipalities in Danish order ("Aabenraa" with the Å names, last), sorted on the first form
 * shown, not at import: the first Intl.Collator loads ICU's collation data (8-22 ms here), which a
 * cold start that only takes a JSON request or shows a status never needs. One collator for the
 * whole sort: `localeCompare(…, "da")` builds one per comparison.
 */
let byName: (typeof MUNICIPALITIES)[number][] | undefined;
function municipalitiesByName() {
  if (!byName) {
    const danish = new Intl.Collator("da");
    byName = [...MUNICIPALITIES].sort((a, b) => danish.compare(a.name, b.name));
  }
  return byName;
}

interface FormProps {
  lang: Lang;
  m: PublicMessages;
  path: string;
  values: FormValues;
  errors: Map<string, string>;
  /** What the company is told before it sends: first contact within this many working days. */
  firstContactDays: number;
  accessibilityUrl?: string | undefined;
}

const fieldId = (name: string) => `f-${name.replace(/\./g, "-")}`;

/** The public request form: plain HTML that works without JavaScript, errors next to their fields. */
export function RequestForm(p: FormProps) {
  const { m } = p;
  const v = (name: string) => {
    const x = p.values[name];
    return Array.isArray(x) ? (x[0] ?? "") : (x ?? "");
  };
  const checked = (name: string, value: string) => {
    const x = p.values[name];
    return Array.isArray(x) ? x.includes(value) : x === value;
  };
  const contactLang = v("contact.language") || p.lang;

  return (
    <Layout lang={p.lang} m={m} title={m.formTitle} path={p.path} accessibilityUrl={p.accessibilityUrl}>
      <h1>{m.formTitle}</h1>
      <p class="lead">{m.formIntro}</p>
      <section class="before" aria-labelledby="before-title">
        <h2 id="before-title">{m.beforeTitle}</h2>
        <ul>
          <li>{m.beforeFree}</li>
          <li>{m.beforeWho}</li>
          <li>{fill(m.beforeWhen, { days: String(p.firstContactDays) })}</li>
          <li>{m.beforeLanguages}</li>
          <li>{m.beforeMail}</li>
        </ul>
      </section>
      {p.errors.size > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
          <h2 id="error-summary-title">{m.errorSummary}</h2>
          <ul>
            {[...p.errors].map(([name, message]) => (
              <li>
                <a href={`#${fieldId(name)}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={`/?lang=${p.lang}`} novalidate>
        <fieldset>
          <legend>{m.sectionCompany}</legend>
          <Field
            p={p}
            name="company.cvr"
            label={m.cvr}
            help={m.cvrHelp}
            required
            input={{
              type: "text",
              inputmode: "numeric",
              autocomplete: "off",
              maxlength: 12,
              value: v("company.cvr"),
              class: "short",
            }}
          />
          <Field
            p={p}
            name="company.name"
            label={m.companyName}
            required
            input={{ type: "text", autocomplete: "organization", maxlength: 200, value: v("company.name") }}
          />
          <Field
            p={p}
            name="company.municipalityCode"
            label={m.municipality}
            help={m.municipalityHelp}
            required
            select
          >
            <option value="">{m.chooseMunicipality}</option>
            {municipalitiesByName().map((mu) => (
              <option value={mu.code} selected={v("company.municipalityCode") === mu.code}>
                {mu.name}
              </option>
            ))}
          </Field>
          <Field
            p={p}
            name="company.employees"
            label={m.employees}
            input={{
              type: "text",
              inputmode: "numeric",
              maxlength: 7,
              value: v("company.employees"),
              class: "short",
            }}
          />
          <Field
            p={p}
            name="company.industry"
            label={m.industry}
            help={m.industryHelp}
            input={{ type: "text", maxlength: 200, value: v("company.industry") }}
          />
        </fieldset>

        <fieldset>
          <legend>{m.sectionContact}</legend>
          <Field
            p={p}
            name="contact.name"
            label={m.contactName}
            required
            input={{ type: "text", autocomplete: "name", maxlength: 200, value: v("contact.name") }}
          />
          <Field
            p={p}
            name="contact.email"
            label={m.email}
            required
            input={{ type: "email", autocomplete: "email", maxlength: 254, value: v("contact.email") }}
          />
          <Field
            p={p}
            name="contact.phone"
            label={m.phone}
            input={{
              type: "tel",
              autocomplete: "tel",
              maxlength: 20,
              value: v("contact.phone"),
              class: "short",
            }}
          />
          <fieldset class="inline">
            <legend>{m.language}</legend>
            {(["da", "en"] as const).map((l) => (
              <label class="choice">
                <input type="radio" name="contact.language" value={l} checked={contactLang === l} />
                {l === "da" ? m.langDa : m.langEn}
              </label>
            ))}
          </fieldset>
        </fieldset>

        <fieldset>
          <legend>{m.sectionRequest}</legend>
          <Field
            p={p}
            name="request.description"
            label={m.description}
            help={m.descriptionHelp}
            required
            textarea
          >
            {v("request.description")}
          </Field>
          <fieldset class="inline">
            <legend>
              {m.needHints} <span class="hint">({m.optional})</span>
            </legend>
            {NEEDS.map((need) => (
              <label class="choice">
                <input
                  type="checkbox"
                  name="request.needHints"
                  value={need}
                  checked={checked("request.needHints", need)}
                />
                {needChoiceLabel(m, need)}
              </label>
            ))}
          </fieldset>
          <Field p={p} name="request.timeframe" label={m.timeframe} select>
            <option value="">{m.timeframeUnknown}</option>
            {TIMEFRAMES.map((t) => (
              <option value={t} selected={v("request.timeframe") === t}>
                {timeframeLabel(m, t)}
              </option>
            ))}
          </Field>
        </fieldset>

        <div class={`field${p.errors.has("consent") ? " has-error" : ""}`}>
          {p.errors.has("consent") && (
            <p class="error" id="err-consent">
              {p.errors.get("consent")}
            </p>
          )}
          <label class="choice" for={fieldId("consent")}>
            <input
              type="checkbox"
              id={fieldId("consent")}
              name="consent"
              value="true"
              checked={v("consent") === "true"}
              aria-describedby={p.errors.has("consent") ? "err-consent" : undefined}
              aria-invalid={p.errors.has("consent") ? "true" : undefined}
            />
            {m.consent}
          </label>
        </div>

        <div class="hp" aria-hidden="true">
          <label for="f-website">{m.honeypot}</label>
          <input type="text" id="f-website" name={HONEYPOT_FIELD} tabindex={-1} autocomplete="off" value="" />
        </div>

        <button type="submit">{m.submit}</button>
      </form>
    </Layout>
  );
}

/** A labelled field with its help text and its error, wired up with aria-describedby. */
function Field(props: {
  p: FormProps;
  name: string;
  label: string;
  help?: string;
  required?: boolean;
  select?: boolean;
  textarea?: boolean;
  /** Attributes of an <input>, when the field is one. */
  input?: Record<string, string | number>;
  children?: Child;
}) {
  const { p, name } = props;
  const id = fieldId(name);
  const error = p.errors.get(name);
  const describedBy = [props.help ? `${id}-help` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const common = {
    id,
    name,
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
    ...(error ? { "aria-invalid": "true" } : {}),
    ...(props.required ? { required: true, "aria-required": "true" } : {}),
  };
  const control = props.select ? (
    <select {...common}>{props.children}</select>
  ) : props.textarea ? (
    <textarea {...common} rows={7} maxlength={5000}>
      {props.children}
    </textarea>
  ) : (
    <input {...props.input} {...common} />
  );
  return (
    <div class={`field${error ? " has-error" : ""}`}>
      <label for={id}>
        {props.label}
        {!props.required && <span class="hint"> ({p.m.optional})</span>}
      </label>
      {props.help && (
        <p class="help" id={`${id}-help`}>
          {props.help}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {control}
    </div>
  );
}
