import { type Context, Hono } from "hono";
import { accepts } from "hono/accepts";
import type { AdminFeature, AdminPageEnv, Env, StaffAppDeps } from "#functions/http/staff-env.ts";
import { parseStatsQuery, type StatsQuery, toCsv } from "#shared/admin/stats.ts";
import { readStats } from "#shared/admin/stats-report.ts";
import { AppError } from "#shared/errors.ts";
import { StatsPage, type StatsQueryEcho } from "./page.tsx";

/** Whether the caller asked for CSV: `?format=`, else the Accept header's preference (JSON by default). */
function wantsCsv(c: Context, q: StatsQuery): boolean {
  if (q.format) return q.format === "csv";
  const type = accepts(c, {
    header: "Accept",
    supports: ["application/json", "text/csv"],
    default: "application/json",
  });
  return type === "text/csv";
}

/**
 * The regional knowledge bank: `GET /api/admin/stats` (JSON, or CSV by Accept header or `?format=csv`)
 * and the page `/admin/stats` with its charts. Administrators only (checked by the staff app).
 */
export function statsRoutes(deps: StaffAppDeps): AdminFeature {
  const api = new Hono<Env>();
  const pages = new Hono<AdminPageEnv>();
  const source = { db: deps.db, tableName: deps.config.tableName, now: deps.now };
  // Each case is held to its consortium's targets as the directory has them now.
  const read = async (q: StatsQuery) => {
    const dir = await deps.consortia();
    return readStats(source, q, (id) => dir.byId.get(id)?.targets);
  };
  const today = () => deps.now().slice(0, 10);

  api.get("/", async (c) => {
    const q = parseStatsQuery(c.req.query(), today());
    const report = await read(q);
    c.header("Vary", "Accept");
    if (!wantsCsv(c, q)) return c.json(report);
    return c.body(toCsv(report), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="indgang-stats-${q.from}-${q.to}-${q.groupBy}.csv"`,
    });
  });

  pages.get("/", async (c) => {
    const all = c.req.query();
    // Only the statistics' own parameters: `lang` (and anything else) belongs to the page.
    const query: StatsQueryEcho = { from: all.from, to: all.to, groupBy: all.groupBy };
    const asked = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
    const page = { ...c.var.page, query };
    const dir = await deps.consortia();
    try {
      const report = await read(parseStatsQuery(asked, today()));
      return c.html(<StatsPage {...page} consortia={dir.consortia} report={report} />);
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== "validation_failed") throw err;
      return c.html(<StatsPage {...page} consortia={dir.consortia} errors={err.fields} />, 400);
    }
  });

  return { api, pages };
}
