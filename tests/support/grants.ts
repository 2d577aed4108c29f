import { App } from "aws-cdk-lib";
import { defineIndgang } from "#infra/app.ts";
import type { FunctionName } from "#local/call-recorder.ts";
import { cdkJsonContext } from "#tests/infra/synth.ts";

let granted: Map<FunctionName, ReadonlySet<string>> | undefined;

/**
 * What the stacks grant each function (IndgangFunction.granted), built once per test worker. With a
 * reply domain, so that the inbound-mail stack (and its function's grants) exists.
 */
function grantsOf(): Map<FunctionName, ReadonlySet<string>> {
  if (!granted) {
    const { stack, inboundMailStack } = defineIndgang(
      new App({
        context: { ...cdkJsonContext(), replyDomain: "svar.example.dk", "aws:cdk:bundling-stacks": [] },
      }),
    );
    granted = new Map<FunctionName, ReadonlySet<string>>([
      ["publicApi", stack.publicApi.granted],
      ["staffApi", stack.staffApi?.granted ?? new Set<string>()],
      ["triageWorker", stack.triageWorker.granted],
      ["deliveryWorker", stack.deliveryWorker.granted],
      ["sweeper", stack.sweeper.granted],
      ["inboundMail", inboundMailStack?.inboundMail.granted ?? new Set<string>()],
    ]);
  }
  return granted;
}

/**
 * The calls a function made on the local stack that its role on AWS would refuse, as
 * `staffApi: dynamodb:BatchGetItem`. DynamoDB Local and fauxqs check no permissions, so without this
 * a call the stack does not grant passes every local test and fails only on AWS.
 */
export function ungrantedCalls(calls: ReadonlyMap<FunctionName, ReadonlySet<string>>): string[] {
  const grants = grantsOf();
  return [...calls].flatMap(([fn, actions]) =>
    [...actions].filter((a) => !grants.get(fn)?.has(a)).map((a) => `${fn}: ${a}`),
  );
}
