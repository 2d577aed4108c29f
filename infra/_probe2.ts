import { App, Stack } from "aws-cdk-lib";
import { Queue } from "aws-cdk-lib/aws-sqs";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
const app = new App({ outdir: "/tmp/probe2" });
const s = new Stack(app, "S");
new Queue(s, "Q");
app.synth();
for (const pack of [new AwsSolutionsChecks(), new ServerlessChecks()]) {
  const r = pack.validateScope(app);
  console.log(pack.readPackName, r.success, r.violations.map((v) => v.ruleName));
}
