import type { Child } from "hono/jsx";
import { Layout } from "#functions/http/commons/layout.tsx";
import type { AdminMessages } from "#functions/http/i18n/admin-messages.ts";
import type { Lang } from "#functions/http/i18n/lang.ts";
import type { Principal } from "#shared/principal.ts";

/** The admin pages, in the order of the admin menu and of the home page's list. */
export const ADMIN_SECTIONS = [
  ["/admin/rules", "adminRules"],
  ["/admin/consortia", "adminConsortia"],
  ["/admin/campaigns", "adminCampaigns"],
  ["/admin/dead-letters", "adminDeadLetters"],
  // No page of its own yet: the log as JSON (the link led to a 404 before).
  ["/admin/audit", "adminAudit"],
  ["/admin/stats", "adminStats"],
  ["/admin/personal-data", "adminPersonalData"],
] as const;

/** Every admin page: the staff layout with the admin sections as a second navigation. */
export function AdminLayout(props: {
  lang: Lang;
  m: AdminMessages;
  path: string;
  user: Principal;
  title: string;
  children: Child;
}) {
  const here = new URL(props.path, "http://x").pathname;
  return (
    <Layout lang={props.lang} m={props.m} title={props.title} path={props.path} user={props.user} wide>
      <nav aria-label={props.m.adminTitle}>
        <ul class="counts">
          <li>
            <a href="/admin" aria-current={here === "/admin" || here === "/admin/" ? "page" : undefined}>
              {props.m.adminHome}
            </a>
          </li>
          {ADMIN_SECTIONS.map(([href, key]) => (
            <li>
              <a href={href} aria-current={here.startsWith(href) ? "page" : undefined}>
                {props.m[key]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}

/** What was wrong with a submitted document: the message and each problem by its path. */
export function Problems(props: {
  error?: { message: string; fields: { path: string; message: string }[] } | undefined;
}) {
  if (!props.error) return null;
  return (
    <div class="error-summary" role="alert">
      <h2>{props.error.message}</h2>
      <ul>
        {props.error.fields.map((f) => (
          <li>
            <code>{f.path || "(root)"}</code>: {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
