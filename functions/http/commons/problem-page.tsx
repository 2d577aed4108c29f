import type { Lang, Messages } from "#functions/http/i18n.ts";
import { Layout } from "./layout.tsx";

/** The way back from a problem page: the request form unless told otherwise (staff: the inbox). */
type Back = { href: string; text: string };

export function NotFoundPage(p: { lang: Lang; m: Messages; path: string; back?: Back }) {
  return <ProblemPage {...p} title={p.m.notFoundTitle} text={p.m.notFoundText} />;
}

/** A page for a browser whose request could not be served: what happened, and the way back. */
export function ProblemPage(p: {
  lang: Lang;
  m: Messages;
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
