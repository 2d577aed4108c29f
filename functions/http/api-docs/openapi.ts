import * as z from "zod/mini";
// Imported for their registration: each schema below carries `.meta({ id })`, which names it here.
import "#shared/cases/model.ts";
import "#shared/errors.ts";
import "#shared/intake/request-schema.ts";

/**
 * The OpenAPI 3.1 document of the public API, generated from the same zod schemas that validate
 * requests (zod's own JSON Schema output is 2020-12, the dialect OpenAPI 3.1 uses). Build time
 * only: `npm run openapi` writes it to openapi.json beside this file, which the public app serves
 * with its own URL as server, so no Lambda bundle carries zod's JSON Schema generator (20 KB). A
 * unit test fails while the file differs from what the schemas give.
 */
export function openApiDocument() {
  // Every schema registered with an id becomes a component; references between them stay references.
  const { schemas } = z.toJSONSchema(z.globalRegistry, {
    io: "input",
    unrepresentable: "any",
    uri: (id) => `#/components/schemas/${id}`,
  });
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  const error = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "Indgang public API",
      version: "1.0.0",
      description:
        "One front door for companies that need help to recruit staff, upskill employees or grow the business. " +
        "Submit a request, get a reference at once, follow its status.",
    },
    paths: {
      "/api/requests": {
        post: {
          operationId: "submitRequest",
          summary: "Submit a company's request",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description: "Repeat a submission safely: the same key within 24 h returns the same reference.",
              schema: { type: "string", maxLength: 200 },
            },
          ],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/IntakePayload" } } },
          },
          responses: {
            "202": {
              description: "Accepted: the case is stored and on its way to the right consortium",
              content: { "application/json": { schema: { $ref: "#/components/schemas/IntakeAccepted" } } },
            },
            "400": error("Invalid input: every problem with its field path"),
            "409": error("The Idempotency-Key was used for a different request"),
            "413": error("Body over 64 KB"),
            "415": error("Content type is not application/json"),
            "429": error("Too many requests from this client"),
            "503": error("Could not store the request; nothing was accepted, try again"),
          },
        },
      },
      "/status/{reference}": {
        get: {
          operationId: "getStatus",
          summary: "A case's status (JSON unless the client prefers text/html)",
          parameters: [
            { name: "reference", in: "path", required: true, schema: { type: "string" } },
            {
              name: "token",
              in: "query",
              required: true,
              description: "The token from statusUrl",
              schema: { type: "string" },
            },
          ],
          responses: {
            "200": {
              description: "The case as the company may see it",
              content: { "application/json": { schema: { $ref: "#/components/schemas/CaseStatus" } } },
            },
            "404": error("No such case, or the token does not match"),
          },
        },
      },
    },
    components: { schemas },
  };
}
