import { readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { defineIndgang } from "./app.ts";

const ctx = JSON.parse(readFileSync("cdk.json", "utf8")).context;
const app = new App({ context: { ...ctx, "aws:cdk:bundling-stacks": [] }, outdir: "/tmp/probe-out" });
defineIndgang(app);
const asm = app.synth();
for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
  const r = pack.validateScope(app);
  console.log(pack.readPackName, r.success, r.violations.length);
  for (const v of r.violations)
    console.log(
      "  ",
      v.ruleName,
      v.severity,
      v.violatingResources
        .map((x) => x.constructPath)
        .slice(0, 4)
        .join(" | "),
    );
}
console.log(asm.directory);
