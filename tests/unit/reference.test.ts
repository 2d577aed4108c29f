import { describe, expect, it } from "vitest";
import { LEAD_SYSTEM, NEEDS } from "#shared/needs.ts";
import {
  type Consortium,
  ConsortiumSchema,
  consortiumMapProblems,
  DEFAULT_CONSORTIA,
  DEFAULT_CONSORTIUM_IDS,
  municipalityMap,
} from "#shared/reference/consortia.ts";
import { MUNICIPALITIES, MUNICIPALITY_CODES, municipality } from "#shared/reference/municipalities.ts";

/** A copy of the default consortia whose municipality lists can be changed. */
function copyDefaults(): Consortium[] {
  return DEFAULT_CONSORTIA.map((c) => ({ ...c, municipalities: [...c.municipalities] }));
}

describe("municipalities", () => {
  it("are the 98 Danish municipalities", () => {
    expect(MUNICIPALITIES).toHaveLength(98);
    expect(MUNICIPALITY_CODES).toHaveLength(98);
  });

  it("have unique 3-digit codes and unique names", () => {
    expect(new Set(MUNICIPALITY_CODES).size).toBe(98);
    expect(new Set(MUNICIPALITIES.map((m) => m.name)).size).toBe(98);
    for (const code of MUNICIPALITY_CODES) expect(code).toMatch(/^\d{3}$/);
  });

  it("MUNICIPALITY_CODES follows MUNICIPALITIES", () => {
    expect(MUNICIPALITY_CODES).toEqual(MUNICIPALITIES.map((m) => m.code));
  });

  it("each lies in one of the five regions", () => {
    const regions = new Set(MUNICIPALITIES.map((m) => m.region));
    expect([...regions].sort()).toEqual([
      "Hovedstaden",
      "Midtjylland",
      "Nordjylland",
      "Sjælland",
      "Syddanmark",
    ]);
  });

  it("can be looked up by code", () => {
    expect(municipality("101")?.name).toBe("København");
    expect(municipality("851")?.name).toBe("Aalborg");
    expect(municipality("400")?.area).toBe("rar-bornholm");
    expect(municipality("999")).toBeUndefined();
    expect(municipality("")).toBeUndefined();
  });
});

describe("DEFAULT_CONSORTIA", () => {
  it("are the eight RAR areas", () => {
    expect(DEFAULT_CONSORTIA).toHaveLength(8);
    expect(DEFAULT_CONSORTIUM_IDS).toEqual(DEFAULT_CONSORTIA.map((c) => c.id));
    expect(new Set(DEFAULT_CONSORTIUM_IDS).size).toBe(8);
    expect(DEFAULT_CONSORTIUM_IDS).toContain("rar-hovedstaden");
    expect(DEFAULT_CONSORTIUM_IDS).toContain("rar-bornholm");
  });

  it("are valid consortia as the schema reads them (they are typed, not parsed, at import)", () => {
    for (const c of DEFAULT_CONSORTIA) expect(ConsortiumSchema.parse(c)).toEqual(c);
  });

  it("cover each municipality exactly once", () => {
    const all = DEFAULT_CONSORTIA.flatMap((c) => c.municipalities);
    expect(all).toHaveLength(98);
    expect([...all].sort()).toEqual([...MUNICIPALITY_CODES].sort());
  });

  it("each has members for the three systems and at least one municipality", () => {
    for (const c of DEFAULT_CONSORTIA) {
      expect(c.municipalities.length).toBeGreaterThan(0);
      expect(c.members.jobCentre.name).not.toBe("");
      expect(c.members.veuCentre.name).not.toBe("");
      expect(c.members.businessHub.name).not.toBe("");
    }
  });

  it("put each municipality in the consortium of its area", () => {
    const map = municipalityMap(DEFAULT_CONSORTIA);
    for (const m of MUNICIPALITIES) expect(map.get(m.code)).toBe(m.area);
  });

  it("have no problems", () => {
    expect(consortiumMapProblems(DEFAULT_CONSORTIA)).toEqual([]);
  });

  it("every need has a lead system", () => {
    for (const need of NEEDS) expect(["jobCentre", "veuCentre", "businessHub"]).toContain(LEAD_SYSTEM[need]);
    expect(LEAD_SYSTEM.recruitment).toBe("jobCentre");
    expect(LEAD_SYSTEM.upskilling).toBe("veuCentre");
    expect(LEAD_SYSTEM.growth).toBe("businessHub");
  });
});

describe("municipalityMap", () => {
  it("maps all 98 codes to a consortium id", () => {
    const map = municipalityMap(DEFAULT_CONSORTIA);
    expect(map.size).toBe(98);
    expect(map.get("101")).toBe("rar-hovedstaden");
    expect(map.get("751")).toBe("rar-oestjylland");
    expect(map.get("999")).toBeUndefined();
  });

  it("is empty for no consortia", () => {
    expect(municipalityMap([]).size).toBe(0);
  });
});

describe("consortiumMapProblems", () => {
  it("reports a municipality that belongs to no consortium", () => {
    const consortia = copyDefaults();
    const first = consortia[0];
    if (!first) throw new Error("no consortia");
    const removed = first.municipalities.shift();
    expect(removed).toBe("101");
    expect(consortiumMapProblems(consortia)).toEqual([
      { path: "", message: "municipality 101 belongs to no consortium" },
    ]);
  });

  it("reports a municipality placed twice, at the second place", () => {
    const consortia = copyDefaults();
    const last = consortia[7];
    if (!last) throw new Error("no eighth consortium");
    last.municipalities.push("101");
    const index = last.municipalities.length - 1;
    expect(consortiumMapProblems(consortia)).toEqual([
      { path: `7.municipalities.${index}`, message: "municipality 101 is already in rar-hovedstaden" },
    ]);
  });

  it("a municipality moved to another consortium is no problem", () => {
    // moved, not duplicated: a valid map
    const consortia = copyDefaults();
    const [first, second] = consortia;
    if (!first || !second) throw new Error("too few consortia");
    const moved = first.municipalities.shift();
    if (moved === undefined) throw new Error("nothing to move");
    second.municipalities.push(moved);
    expect(consortiumMapProblems(consortia)).toEqual([]);
    expect(municipalityMap(consortia).get(moved)).toBe(second.id);
  });

  it("reports a duplicate consortium id", () => {
    const consortia = copyDefaults();
    const second = consortia[1];
    const first = consortia[0];
    if (!first || !second) throw new Error("too few consortia");
    consortia[1] = { ...second, id: first.id };
    expect(consortiumMapProblems(consortia)).toContainEqual({
      path: "1.id",
      message: `duplicate consortium id ${first.id}`,
    });
  });

  it("reports all 98 municipalities for an empty map", () => {
    const problems = consortiumMapProblems([]);
    expect(problems).toHaveLength(98);
    expect(problems.every((p) => p.message.endsWith("belongs to no consortium"))).toBe(true);
  });
});
