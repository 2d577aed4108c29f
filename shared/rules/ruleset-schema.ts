/**
 * The rule-set document: a declarative JSON document (no code) that administrators edit, test and
 * publish. This schema is the single source of its TypeScript types. Version numbers are not part
 * of the document; they are assigned on publish and passed to `compile`.
 */

import * as z from "zod/mini";
import { NeedSchema } from "#shared/needs.ts";
import "#shared/zod.ts";
import { ConsortiumIdSchema } from "#shared/reference/consortia.ts";
import { parsePhrase } from "./text.ts";

const IdSchema = z
  .string()
  .check(
    z.regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, "lowercase letters, digits, '.', '_' and '-', 1-80 characters"),
  );

const DescriptionSchema = z.optional(z.string().check(z.maxLength(2000)));

/** One phrase: words in order, Danish or English; a word may start or end with `*`. */
const PhraseSchema = z.string().check(
  z.maxLength(200),
  z.superRefine((phrase, ctx) => {
    const parsed = parsePhrase(phrase);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed, input: phrase });
  }),
);

const WordSchema = z.string().check(z.regex(/^[\p{L}\p{N}']+$/u, "one word"));

const TextConditionSchema = z.strictObject({
  type: z.literal("text"),
  anyOf: z.array(PhraseSchema).check(z.minLength(1), z.maxLength(500)),
  /** When false, a negation cue before the phrase does not cancel the match (default true). */
  negatable: z.optional(z.boolean()),
});

const EmployeesCompareSchema = z.strictObject({
  type: z.literal("field"),
  field: z.literal("employees"),
  op: z.enum(["gte", "lte", "eq"]),
  value: z.number(),
});

const EmployeesBetweenSchema = z.strictObject({
  type: z.literal("field"),
  field: z.literal("employees"),
  op: z.literal("between"),
  value: z
    .tuple([z.number(), z.number()])
    .check(z.refine(([min, max]) => min <= max, "between needs [min, max] with min <= max")),
});

const MunicipalityInSchema = z.strictObject({
  type: z.literal("field"),
  field: z.literal("municipalityCode"),
  op: z.literal("in"),
  value: z.array(z.string().check(z.regex(/^\d{3}$/, "a 3-digit municipality code"))).check(z.minLength(1)),
});

const IndustryContainsSchema = z.strictObject({
  type: z.literal("field"),
  field: z.literal("industry"),
  op: z.literal("containsAny"),
  value: z.array(PhraseSchema).check(z.minLength(1)),
});

/** Field conditions differ by operator (each operator belongs to exactly one field). */
const FieldConditionSchema = z.discriminatedUnion("op", [
  EmployeesCompareSchema,
  EmployeesBetweenSchema,
  MunicipalityInSchema,
  IndustryContainsSchema,
]);

const NeedHintConditionSchema = z.strictObject({ type: z.literal("needHint"), need: NeedSchema });

// Recursive combinators, the zod-4 way: getters defer the reference until the schema is used.
const AllConditionSchema = z.strictObject({
  type: z.literal("all"),
  get of(): z.ZodMiniArray<typeof ConditionSchema> {
    return z.array(ConditionSchema).check(z.minLength(1));
  },
  /**
   * When true, the text conditions must hold together in one clause (a sentence, or its part before or
   * after "men"/"but" or ", og"/", and"), not anywhere in the request: "mangler ... tømrere" in one
   * sentence. A `not` inside then means "not in that clause".
   */
  sameClause: z.optional(z.boolean()),
});

const AnyConditionSchema = z.strictObject({
  type: z.literal("any"),
  get of(): z.ZodMiniArray<typeof ConditionSchema> {
    return z.array(ConditionSchema).check(z.minLength(1));
  },
});

const NotConditionSchema = z.strictObject({
  type: z.literal("not"),
  get condition(): typeof ConditionSchema {
    return ConditionSchema;
  },
});

export const ConditionSchema = z.discriminatedUnion("type", [
  TextConditionSchema,
  FieldConditionSchema,
  NeedHintConditionSchema,
  AllConditionSchema,
  AnyConditionSchema,
  NotConditionSchema,
]);

/**
 * How deep conditions may nest (all / any / not), and how many one tree may hold. A document is
 * stored as one DynamoDB item, which allows 32 levels of nesting (each condition level is two: a map
 * and a list), and zod checks a tree by recursion: 10,000 levels overflowed its stack (a 500). The
 * default rules nest 6 deep and hold at most 21 conditions in one tree.
 */
export const MAX_CONDITION_DEPTH = 12;
export const MAX_CONDITIONS_PER_TREE = 500;

/** Whether a tree is within the limits, found without recursion (the input may be any JSON). */
function withinLimits(input: unknown): boolean {
  const stack: [unknown, number][] = [[input, 1]];
  let count = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (depth > MAX_CONDITION_DEPTH || ++count > MAX_CONDITIONS_PER_TREE) return false;
    if (typeof node !== "object" || node === null) continue;
    const { of, condition } = node as { of?: unknown; condition?: unknown };
    if (Array.isArray(of)) for (const child of of) stack.push([child, depth + 1]);
    if (condition !== undefined) stack.push([condition, depth + 1]);
  }
  return true;
}

/** A condition tree, refused before zod walks it when it is too deep or too large. */
export const BoundedConditionSchema = z.pipe(
  z.unknown().check(
    z.refine(withinLimits, {
      message: `conditions may nest at most ${MAX_CONDITION_DEPTH} deep and hold at most ${MAX_CONDITIONS_PER_TREE}`,
      abort: true,
    }),
  ),
  ConditionSchema,
);

const RuleSchema = z.strictObject({
  id: IdSchema,
  description: DescriptionSchema,
  need: NeedSchema,
  /** Added to the need's score when the condition holds; negative weights count against it. */
  weight: z.number().check(z.minimum(-100), z.maximum(100)),
  when: BoundedConditionSchema,
  /**
   * A priority rule does not decide whether its need applies: its weight is added after saturation
   * and only ranks the needs that apply, to pick the primary one ("først og fremmest", "på sigt").
   */
  priority: z.optional(z.boolean()),
  /**
   * A fallback rule counts only when no need applies without the fallback rules: a ticked hint
   * decides when the text states no need at all, not against a text that states others.
   */
  fallback: z.optional(z.boolean()),
});

const CouplingSchema = z.strictObject({
  id: IdSchema,
  description: DescriptionSchema,
  ifNeed: NeedSchema,
  addFollowUp: NeedSchema,
  reason: z.string().check(z.minLength(1), z.maxLength(500)),
});

const RouteTargetSchema = z.union([
  z.strictObject({ consortiumId: ConsortiumIdSchema }),
  /** The consortium of the company's municipality, as without the override (with the override's tag). */
  z.strictObject({ localConsortium: z.literal(true) }),
  z.strictObject({ manualTriage: z.literal(true) }),
]);

const OverrideSchema = z.strictObject({
  id: IdSchema,
  description: DescriptionSchema,
  when: BoundedConditionSchema,
  to: RouteTargetSchema,
  reason: z.string().check(z.minLength(1), z.maxLength(500)),
  /**
   * Tags the case it routes, as a campaign does (the inbox filters by it, the campaign counts read
   * it): "layoff" for collective redundancies the local consortium's campaign work takes up.
   */
  tag: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$/,
          "lowercase letters, digits and hyphens, 3-50 characters",
        ),
      ),
  ),
});

/** The criteria that can break a tie for the primary need (see `ScoringSchema.tieBreak`). */
export const TIE_BREAKS = ["raw", "first"] as const;
export type TieBreakCriterion = (typeof TIE_BREAKS)[number];

const ScoringSchema = z
  .strictObject({
    /** A need applies when its score is at least this. */
    applyAt: z.number().check(z.positive()),
    /** A need's score is min(sum of fired weights, saturateAt): strong evidence stops counting. */
    saturateAt: z.number().check(z.positive()),
    /**
     * How the primary need is chosen when the applied needs share the top rank (score plus priority):
     * unless `equalWhen` holds (the text says they weigh the same: then none is primary), by each
     * criterion of `order` in turn: `raw`, the larger unsaturated sum; `first`, the need whose
     * evidence comes first in the text. Absent: ["raw", "first"] and no `equalWhen`.
     */
    tieBreak: z.optional(
      z.strictObject({
        order: z.array(z.enum(TIE_BREAKS)).check(z.maxLength(TIE_BREAKS.length)),
        equalWhen: z.optional(BoundedConditionSchema),
      }),
    ),
  })
  .check(
    z.refine((s) => s.saturateAt >= s.applyAt, {
      message: "saturateAt must be >= applyAt",
      path: ["saturateAt"],
    }),
  );

const LanguageSchema = z.strictObject({
  negation: z.strictObject({
    /** Words that negate a match that follows them in the same clause ("ikke", "not", ...). */
    cues: z.array(WordSchema).check(z.minLength(1), z.maxLength(200)),
    /** How many words before a match a cue may stand. */
    window: z.int().check(z.minimum(1), z.maximum(20)),
    /** Words that, directly after a cue, undo it: "kan ikke finde", "not enough" still express a need. */
    neutralisers: z.array(WordSchema).check(z.maxLength(200)),
    /**
     * List words that carry a negation on to the next item: "not looking for advice or funding"
     * negates both (the window counts again from the list word). Default none.
     */
    joiners: z.optional(z.array(WordSchema).check(z.maxLength(50))),
  }),
});

export const RuleSetSchema = z
  .strictObject({
    name: z.string().check(z.minLength(1), z.maxLength(200)),
    description: DescriptionSchema,
    scoring: ScoringSchema,
    language: LanguageSchema,
    rules: z.array(RuleSchema).check(z.minLength(1), z.maxLength(1000)),
    couplings: z.array(CouplingSchema).check(z.maxLength(100)),
    routing: z.strictObject({ overrides: z.array(OverrideSchema).check(z.maxLength(200)) }),
  })
  .check(
    z.superRefine((doc, ctx) => {
      // Ids name rules in explanations and audits, so they must be unique within their list.
      const lists = [
        ["rules", doc.rules],
        ["couplings", doc.couplings],
        ["routing.overrides", doc.routing.overrides],
      ] as const;
      for (const [name, list] of lists) {
        const seen = new Set<string>();
        list.forEach((item, i) => {
          if (seen.has(item.id))
            ctx.addIssue({
              code: "custom",
              message: `duplicate id "${item.id}"`,
              path: [...name.split("."), i, "id"],
              input: item.id,
            });
          seen.add(item.id);
        });
      }
    }),
  );

export type RuleSet = z.infer<typeof RuleSetSchema>;
export type Condition = z.infer<typeof ConditionSchema>;
export type Rule = RuleSet["rules"][number];
export type Coupling = RuleSet["couplings"][number];
export type RoutingOverride = RuleSet["routing"]["overrides"][number];
