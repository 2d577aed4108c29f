import { synthIndgang } from "../tests/infra/synth.ts";
let t = Date.now();
const s = synthIndgang();
console.log("synth", Date.now() - t); t = Date.now();
for (let i = 0; i < 5; i++) s.template.hasResourceProperties("AWS::SQS::Queue", { QueueName: "indgang-dev-intake" });
console.log("5x hasResourceProperties", Date.now() - t); t = Date.now();
const s2 = synthIndgang();
console.log("synth2", Date.now() - t);
s.dispose(); s2.dispose();
