/**
 * Deny-by-default policies. Each domain declares, per action, who may do it; an action with
 * no rule, or a rule that says no, is refused. Presenters pass the same answers to views as
 * booleans, so a page only offers what the viewer may do.
 */
import { forbidden } from "./http/errors.ts";
import type { ViewerUser } from "./viewer.ts";

export type Rule<S> = (user: ViewerUser, subject: S) => boolean;

export interface Policy<A extends string, S> {
  can(user: ViewerUser | null, action: A, subject: S): boolean;
  /** Throws 403 unless allowed. */
  authorize(user: ViewerUser | null, action: A, subject: S): void;
}

export function definePolicy<S, A extends string>(rules: Record<A, Rule<S>>): Policy<A, S> {
  const can = (user: ViewerUser | null, action: A, subject: S) => {
    if (!user) return false;
    const rule = Object.hasOwn(rules, action) ? rules[action] : undefined;
    return rule ? rule(user, subject) : false;
  };
  return {
    can,
    authorize(user, action, subject) {
      if (!can(user, action, subject)) throw forbidden();
    },
  };
}
