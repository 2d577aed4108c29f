import type { CommonMessages } from "#functions/http/i18n/common-messages.ts";
import type { Lang } from "#functions/http/i18n/lang.ts";
import { Layout } from "./layout.tsx";

/** The way back from a problem page: the request form unless told otherwise (staff: the inbox). */
type Back = { href: string; text: string };

export function NotFoundPage(p: { lang: Lang; m: CommonMessages; path: string; back?: Back }) {
  return <ProblemPage {...p} title={p.m.notFoundTitle} text={p.m.notFoundText} />;
}

/** A page for a browser whose request could not be served: what happened, and the way back. */
export function ProblemPage(p: {
  lang: Lang;
  m: CommonMessages;
  path: string;
  title: string;
  text: string;
  back?: Back;
}) {
  const back = p.back ?? { href: "/", text: p.m.backToForm };
  return (
    <Layout lang={p.lang} m={p.m} title={p.title} path={p.path}>
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      <p>
        <a href={back.href}>{back.text}</a>
      </p>
    </Layout>
  );
}
