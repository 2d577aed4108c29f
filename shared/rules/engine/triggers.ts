import type { Need } from "#shared/needs.ts";
import type { TextAnalysis } from "./analysis.ts";
import type { Compiled } from "./conditions.ts";
import { pushTo } from "./lexicon.ts";

/** No rules: looked up instead of making an empty list. */
const NONE: readonly number[] = [];

/**
 * Which rules a request triggers: those whose condition has no triggers, and those with one of their
 * trigger groups in the text or one of their trigger need hints ticked. Indexed by group and need, so
 * that a request looks only at the groups it has hits in instead of at every rule's triggers.
 */
export class RuleTriggers {
  /**
   * The rules of group g: rulesOfGroups[groupStart[g]] up to (not including) rulesOfGroups[groupStart[g + 1]].
   * Two flat arrays rather than one small array per group: fewer objects to fetch from memory.
   */
  private readonly groupStart: Int32Array;
  private readonly rulesOfGroups: Int32Array;
  private readonly rulesByNeedHint = new Map<Need, number[]>();
  /** The rules without triggers (always triggered), as a bit set: bit i of word i >> 5 is rule i. */
  private readonly always: Uint32Array;
  /** The same for the request last passed to `of`; reused from request to request. */
  private readonly marks: Uint32Array;

  /** `conditions[i]` is the condition of rule i. */
  constructor(conditions: readonly Compiled[], groupCount: number) {
    const rulesByGroup: number[][] = Array.from({ length: groupCount }, () => []);
    this.always = new Uint32Array(Math.ceil(conditions.length / 32));
    this.marks = new Uint32Array(this.always.length);
    conditions.forEach(({ triggers }, i) => {
      if (triggers === undefined) setBit(this.always, i);
      for (const g of triggers?.groups ?? []) rulesByGroup[g]?.push(i);
      for (const need of triggers?.needHints ?? []) pushTo(this.rulesByNeedHint, need, i);
    });
    this.groupStart = new Int32Array(groupCount + 1);
    rulesByGroup.forEach((r, g) => {
      this.groupStart[g + 1] = (this.groupStart[g] ?? 0) + r.length;
    });
    this.rulesOfGroups = Int32Array.from(rulesByGroup.flat());
  }

  /**
   * The indices of the rules a request (its analysed text, its need hints) triggers, ascending. A
   * bit set, so that a request with a few triggered rules does not look at every rule (a generated
   * set has 500).
   */
  of(analysis: TextAnalysis, needHints: readonly Need[]): number[] {
    const { marks } = this;
    marks.set(this.always);
    const { groupStart, rulesOfGroups } = this;
    for (const g of analysis.groupsWithHits)
      for (let k = groupStart[g] ?? 0; k < (groupStart[g + 1] ?? 0); k++)
        setBit(marks, rulesOfGroups[k] ?? 0);
    for (const need of needHints) for (const r of this.rulesByNeedHint.get(need) ?? NONE) setBit(marks, r);
    const triggered: number[] = [];
    for (let w = 0; w < marks.length; w++) {
      let bits = marks[w] ?? 0;
      while (bits !== 0) {
        const lowest = bits & -bits; // the lowest bit set
        triggered.push(w * 32 + 31 - Math.clz32(lowest));
        bits ^= lowest;
      }
    }
    return triggered;
  }
}

function setBit(bits: Uint32Array, i: number): void {
  bits[i >> 5] = (bits[i >> 5] ?? 0) | (1 << (i & 31));
}
