import { DOCTYPE } from "#functions/http/commons/layout.tsx";
import type OPENAPI from "./openapi.json";

type Doc = typeof OPENAPI & { servers: { url: string }[] };
interface Operation {
  summary: string;
  parameters: { name: string; in: string; required: boolean; description?: string }[];
  responses: Record<string, { description: string }>;
}

/** A readable page for the OpenAPI document, rendered on the server (no CDN, no script). */
export function ApiDocsPage(p: { doc: Doc }) {
  const { doc } = p;
  return (
    <>
      {DOCTYPE}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{doc.info.title}</title>
          <link rel="stylesheet" href="/assets/app.css" />
        </head>
        <body>
          <main id="main" class="wrap">
            <h1>{doc.info.title}</h1>
            <p>{doc.info.description}</p>
            <p>
              Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI {doc.openapi})
            </p>
            {Object.entries(doc.paths).map(([path, ops]) =>
              Object.entries(ops as Record<string, Operation>).map(([method, op]) => (
                <section>
                  <h2>
                    <code>
                      {method.toUpperCase()} {path}
                    </code>
                  </h2>
                  <p>{op.summary}</p>
                  {op.parameters.length > 0 && (
                    <table>
                      <thead>
                        <tr>
                          <th>Parameter</th>
                          <th>In</th>
                          <th>Required</th>
                          <th>Description</th>
                        </tr>
                      </thead>
                      <tbody>
                        {op.parameters.map((x) => (
                          <tr>
                            <td>
                              <code>{x.name}</code>
                            </td>
                            <td>{x.in}</td>
                            <td>{x.required ? "yes" : "no"}</td>
                            <td>{x.description ?? ""}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                  <h3>Responses</h3>
                  <ul>
                    {Object.entries(op.responses).map(([status, r]) => (
                      <li>
                        <strong>{status}</strong> {r.description}
                      </li>
                    ))}
                  </ul>
                </section>
              )),
            )}
            <h2>Schemas</h2>
            {Object.entries(doc.components.schemas).map(([name, schema]) => (
              <section>
                <h3 id={name}>{name}</h3>
                <pre>{JSON.stringify(schema, null, 2)}</pre>
              </section>
            ))}
          </main>
        </body>
      </html>
    </>
  );
}
