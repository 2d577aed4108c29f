/**
 * The rule-set document: a declarative JSON document (no code) that administrators edit, test and
 * publish. This schema is the single source of its TypeScript types. Version numbers are not part
 * of the document; they are assigned on publish and passed to `compile`.
 */
import * as z from "zod";
import { ConsortiumIdSchema, NeedSchema } from "../reference/consortia.ts";
import { parsePhrase } from "./text.ts";

const IdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,79}$/, "lowercase letters, digits, '.', '_' and '-', 1-80 characters");

const DescriptionSchema = z.string().max(2000).optional();

/** One phrase: words in order, Danish or English; a word may start or end with `*`. */
const PhraseSchema = z
  .string()
  .max(200)
  .superRefine((phrase, ctx) => {
    const parsed = parsePhrase(phrase);
    if (typeof parsed === "string") ctx.addIssue({ code: "custom", message: parsed });
  });

const WordListSchema = z.array(z.string().regex(/^[\p{L}\p{N}']+$/u, "one word")).max(200);

const TextConditionSchema = z.strictObject({
  type: z.literal("text"),
  anyOf: z.array(PhraseSchema).min(1).max(500),
  /** When false, a negation cue before the phrase does not cancel the match (default true). */
  negatable: z.boolean().optional(),
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
    .refine(([min, max]) => min <= max, "between needs [min, max] with min <= max"),
});

const MunicipalityInSchema = z.strictObject({
  type: z.literal("field"),
  field: z.literal("municipalityCode"),
  op: z.literal("in"),
  value: z.array(z.string().regex(/^\d{3}$/, "a 3-digit municipality code")).min(1),
});

const IndustryContainsSchema = z.strictObject({
  type: z.literal("field"),
  field: z.literal("industry"),
  op: z.literal("containsAny"),
  value: z.array(PhraseSchema).min(1),
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
  get of() {
    return z.array(ConditionSchema).min(1);
  },
  /**
   * When true, the text conditions must hold together in one clause (a sentence, or its part before or
   * after "men"/"but" or ", og"/", and"), not anywhere in the request: "mangler ... tømrere" in one
   * sentence. A `not` inside then means "not in that clause".
   */
  sameClause: z.boolean().optional(),
});

const AnyConditionSchema = z.strictObject({
  type: z.literal("any"),
  get of() {
    return z.array(ConditionSchema).min(1);
  },
});

const NotConditionSchema = z.strictObject({
  type: z.literal("not"),
  get condition() {
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

const RuleSchema = z.strictObject({
  id: IdSchema,
  description: DescriptionSchema,
  need: NeedSchema,
  /** Added to the need's score when the condition holds; negative weights count against it. */
  weight: z.number().min(-100).max(100),
  when: ConditionSchema,
  /**
   * A priority rule does not decide whether its need applies: its weight is added after saturation
   * and only ranks the needs that apply, to pick the primary one ("først og fremmest", "på sigt").
   */
  priority: z.boolean().optional(),
});

const CouplingSchema = z.strictObject({
  id: IdSchema,
  description: DescriptionSchema,
  ifNeed: NeedSchema,
  addFollowUp: NeedSchema,
  reason: z.string().min(1).max(500),
});

const RouteTargetSchema = z.union([
  z.strictObject({ consortiumId: ConsortiumIdSchema }),
  z.strictObject({ manualTriage: z.literal(true) }),
]);

const OverrideSchema = z.strictObject({
  id: IdSchema,
  description: DescriptionSchema,
  when: ConditionSchema,
  to: RouteTargetSchema,
  reason: z.string().min(1).max(500),
});

const ScoringSchema = z
  .strictObject({
    /** A need applies when its score is at least this. */
    applyAt: z.number().positive(),
    /** A need's score is min(sum of fired weights, saturateAt): strong evidence stops counting. */
    saturateAt: z.number().positive(),
  })
  .refine((s) => s.saturateAt >= s.applyAt, {
    message: "saturateAt must be >= applyAt",
    path: ["saturateAt"],
  });

const LanguageSchema = z.strictObject({
  negation: z.strictObject({
    /** Words that negate a match that follows them in the same clause ("ikke", "not", ...). */
    cues: WordListSchema.min(1),
    /** How many words before a match a cue may stand. */
    window: z.int().min(1).max(20),
    /** Words that, directly after a cue, undo it: "kan ikke finde", "not enough" still express a need. */
    neutralisers: WordListSchema,
  }),
});

export const RuleSetSchema = z
  .strictObject({
    name: z.string().min(1).max(200),
    description: DescriptionSchema,
    scoring: ScoringSchema,
    language: LanguageSchema,
    rules: z.array(RuleSchema).min(1).max(1000),
    couplings: z.array(CouplingSchema).max(100),
    routing: z.strictObject({ overrides: z.array(OverrideSchema).max(200) }),
  })
  .superRefine((doc, ctx) => {
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
          });
        seen.add(item.id);
      });
    }
  });

export type RuleSet = z.infer<typeof RuleSetSchema>;
export type Condition = z.infer<typeof ConditionSchema>;
export type Rule = RuleSet["rules"][number];
export type Coupling = RuleSet["couplings"][number];
export type RoutingOverride = RuleSet["routing"]["overrides"][number];
