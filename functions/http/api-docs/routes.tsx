import { Hono } from "hono";
import OPENAPI from "./openapi.json" with { type: "json" };
import { ApiDocsPage } from "./page.tsx";

/** The API's own description: `/api/openapi.json` and the page `/api/docs` (mounted at `/api`). */
export function apiDocs(deps: { config: { PUBLIC_BASE_URL: string } }) {
  // Generated from the schemas at build time (`npm run openapi`); the server is this deployment.
  const { openapi, info, ...rest } = OPENAPI;
  const apiDocument = { openapi, info, servers: [{ url: deps.config.PUBLIC_BASE_URL }], ...rest };
  const app = new Hono();
  app.get("/openapi.json", (c) => c.json(apiDocument));
  app.get("/docs", (c) => c.html(<ApiDocsPage doc={apiDocument} />));
  return app;
}
