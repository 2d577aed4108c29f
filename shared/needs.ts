import * as z from "zod/mini";
import "#shared/zod.ts";

/** The three needs a request is classified by, alphabetical (the order scores and needs are listed in). */
export const NEEDS = ["growth", "recruitment", "upskilling"] as const;
export const NeedSchema = z.enum(NEEDS);
export type Need = z.infer<typeof NeedSchema>;

/** The three systems a consortium brings together, and the need each one leads. */
export const SYSTEMS = ["jobCentre", "veuCentre", "businessHub"] as const;
export type System = (typeof SYSTEMS)[number];

export const LEAD_SYSTEM: Record<Need, System> = {
  recruitment: "jobCentre",
  upskilling: "veuCentre",
  growth: "businessHub",
};
