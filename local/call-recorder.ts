import { AsyncLocalStorage } from "node:async_hooks";

/** The stack's Lambda functions, by their keys in infra/stack.ts's FUNCTIONS. */
export type FunctionName =
  | "publicApi"
  | "staffApi"
  | "triageWorker"
  | "deliveryWorker"
  | "sweeper"
  | "inboundMail";

/** An AWS SDK client, as far as adding a middleware that sees each call needs (here and the bench). */
export interface Watchable {
  middlewareStack: {
    add: (
      middleware: (
        next: (args: { input: object }) => Promise<{ output: unknown }>,
        context: { commandName?: string },
      ) => (args: { input: object }) => Promise<{ output: unknown }>,
      options: { step: "initialize"; name: string; override?: boolean },
    ) => void;
  };
}

/**
 * What each function asks of AWS, as IAM actions. On AWS every function has its own role; here they
 * all run in one process on one set of clients, so each handler's invocation is marked (`as`), and
 * every call a watched client makes inside one is recorded under that function. The integration
 * tests compare the record with what the stack grants each function (tests/support/grants.ts).
 */
export class CallRecorder {
  private readonly running = new AsyncLocalStorage<FunctionName>();
  readonly calls = new Map<FunctionName, Set<string>>();

  /** `handler`, run as function `name`. */
  as<A extends unknown[], R>(name: FunctionName, handler: (...args: A) => R): (...args: A) => R {
    return (...args) => this.running.run(name, () => handler(...args));
  }

  /** Records the calls of an AWS SDK client (DynamoDB, its document client, or SQS). */
  watch(client: unknown, service: "dynamodb" | "sqs"): void {
    (client as Watchable).middlewareStack.add(
      (next, context) => async (args) => {
        const fn = this.running.getStore();
        if (fn) {
          const set = this.calls.get(fn) ?? new Set<string>();
          for (const action of iamActions(service, context.commandName ?? "", args.input)) set.add(action);
          this.calls.set(fn, set);
        }
        return next(args);
      },
      { step: "initialize", name: `indgangCallRecorder-${service}` },
    );
  }
}

/**
 * The IAM actions one call needs, in the form IndgangFunction.granted uses: a batch SQS call needs
 * its single action, a DynamoDB transaction the action of each of its items, and a query of an
 * index `dynamodb:Query@<index>`.
 */
export function iamActions(service: "dynamodb" | "sqs", commandName: string, input: object): string[] {
  const operation = commandName.replace(/Command$/, "");
  if (service === "sqs") return [`sqs:${operation.replace(/Batch$/, "")}`];
  const i = input as { IndexName?: string; TransactItems?: Record<string, unknown>[] };
  if (operation === "Query" && i.IndexName) return [`dynamodb:Query@${i.IndexName}`];
  if (operation === "TransactWriteItems") {
    const itemAction: Record<string, string> = {
      Put: "PutItem",
      Update: "UpdateItem",
      Delete: "DeleteItem",
      ConditionCheck: "ConditionCheckItem",
    };
    return (i.TransactItems ?? []).flatMap((item) =>
      Object.keys(item).flatMap((kind) => (itemAction[kind] ? [`dynamodb:${itemAction[kind]}`] : [])),
    );
  }
  if (operation === "TransactGetItems") return ["dynamodb:GetItem"];
  return [`dynamodb:${operation}`];
}
