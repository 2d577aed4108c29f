import { writeFileSync } from "node:fs";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { startTestService } from "../tests/support/local.ts";
import { APP_CSS } from "../functions/http/assets.ts";

const svc = await startTestService();
const ids = ["rar-hovedstaden","rar-sjaelland","rar-fyn","rar-sydjylland","rar-oestjylland","rar-vestjylland","rar-nordjylland","rar-bornholm", undefined];
const needsSets = [["recruitment"],["upskilling"],["growth"],["recruitment","upskilling"],["growth","upskilling"],[]];
const outcomes = ["recruited","upskilling_started","growth_programme","referred","no_action"];
let seed = 7; const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const items = [];
for (let i = 0; i < 400; i++) {
  const received = new Date(Date.now() - rnd() * 83 * 86400000);
  const receivedAt = received.toISOString();
  const cid = ids[Math.floor(rnd() * (rnd() < 0.5 ? 3 : ids.length))];
  const needs = cid ? needsSets[Math.floor(rnd() * 5)] : [];
  const timeline = [{ at: receivedAt, event: "received", actor: "company" }];
  let status = cid ? "delivered" : "manual_triage";
  let outcome, closedAt;
  if (cid && rnd() < 0.7) { status = "claimed"; timeline.push({ at: new Date(received.getTime() + rnd() * 72 * 3600000).toISOString(), event: "claimed", actor: "u" });
    if (rnd() < 0.6) { status = "closed"; closedAt = new Date(received.getTime() + (72 + rnd() * 400) * 3600000).toISOString(); outcome = outcomes[Math.floor(rnd() * 5)]; } }
  const ref = `IND-T${i}`;
  items.push({ pk: `CASE#${ref}`, sk: "CASE", reference: ref, status, receivedAt, needs, timeline, ...(cid ? { consortiumId: cid } : {}), ...(outcome ? { outcome, closedAt } : {}), gsi4pk: `RECEIVED#${receivedAt.slice(0, 10)}`, gsi4sk: `${receivedAt}#${ref}` });
}
for (let i = 0; i < items.length; i += 25)
  await svc.ctx.db.send(new BatchWriteCommand({ RequestItems: { [svc.ctx.config.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
const token = await svc.issueToken({ sub: "a", name: "Admin", role: "admin" });
for (const [lang, q] of <[string, string][]> [["da", "groupBy=week"], ["en", "groupBy=month"], ["da", "groupBy=day"]]) {
  const html = await (await fetch(`${svc.url}/admin/stats?${q}&lang=${lang}`, { headers: { authorization: `Bearer ${token}` } })).text();
  writeFileSync(`/tmp/stats-${lang}-${q.split("=")[1]}.html`, html.replace('<link rel="stylesheet" href="/assets/app.css"/>', `<style>${APP_CSS}</style>`));
}
const csv = await (await fetch(`${svc.url}/api/admin/stats`, { headers: { authorization: `Bearer ${token}`, accept: "text/csv" } })).text();
console.log(csv.split("\r\n").slice(0, 5).join("\n"));
await svc.stop();
