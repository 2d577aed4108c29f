import { readFileSync } from "node:fs";
import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";

(Validations.prototype as unknown as { acknowledge: () => void }).acknowledge = () => {};
const { defineIndgang } = await import("./app.ts");
const ctx = JSON.parse(readFileSync("cdk.json", "utf8")).context;
const app = new App({
  context: {
    ...ctx,
    "aws:cdk:bundling-stacks": [],
    "@aws-cdk/core:failSynthOnValidationErrors": false,
    alarmEmail: "ops@example.dk",
  },
  outdir: "/tmp/probe-out3",
});
defineIndgang(app);
app.synth({ skipValidation: true } as never);
for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
  const r = pack.validateScope(app);
  console.log(pack.readPackName, r.success, r.violations.length);
  for (const v of r.violations)
    console.log(
      "  ",
      v.ruleName,
      v.severity,
      v.violatingResources.length,
      v.violatingResources
        .map((x) => x.constructPath)
        .slice(0, 3)
        .join(" | "),
    );
}
