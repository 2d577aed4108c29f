import * as z from "zod/mini";
import "./zod.ts";

/**
 * Who is calling a staff route. On AWS the identity comes from a Cognito token (a group per
 * consortium, `consortium-<id>`, and `admins`); locally from a dev token. Either way, access rules
 * are decided here and nowhere else.
 */
export const PrincipalSchema = z.strictObject({
  sub: z.string().check(z.minLength(1)),
  name: z.string().check(z.minLength(1)),
  role: z.enum(["consultant", "admin"]),
  consortiumId: z.optional(z.string()),
  /** The sign-in e-mail: how a consultant listed in the consortium is recognised as the assignee. */
  email: z.optional(z.email()),
});
export type Principal = z.infer<typeof PrincipalSchema>;

export const ADMIN_GROUP = "admins";
export const CONSORTIUM_GROUP_PREFIX = "consortium-";

/** Cognito groups → a principal; undefined when the user belongs to no group Indgang knows. */
export function principalFromGroups(
  sub: string,
  name: string,
  groups: readonly string[],
): Principal | undefined {
  if (groups.includes(ADMIN_GROUP)) return { sub, name, role: "admin" };
  const group = groups.find((g) => g.startsWith(CONSORTIUM_GROUP_PREFIX));
  if (!group) return undefined;
  return { sub, name, role: "consultant", consortiumId: group.slice(CONSORTIUM_GROUP_PREFIX.length) };
}

/**
 * Whether a case held by `a` is held by `p`: the same sign-in, or the same e-mail (a case given to
 * a listed consultant before they ever signed in carries only their e-mail).
 */
export function isAssignee(
  a: { sub: string; email?: string | undefined } | undefined,
  p: Principal,
): boolean {
  if (!a) return false;
  return a.sub === p.sub || (!!a.email && !!p.email && a.email.toLowerCase() === p.email.toLowerCase());
}

/** A consultant sees their own consortium's cases; an administrator sees all. */
export function canAccessConsortium(p: Principal, consortiumId: string | undefined): boolean {
  return p.role === "admin" || (consortiumId !== undefined && p.consortiumId === consortiumId);
}

export interface TokenVerifier {
  /** The principal of a valid token; throws AppError("unauthenticated") otherwise. */
  verify(token: string): Promise<Principal>;
}
