/** What the admin area's addresses and forms may carry. */
import { z } from "zod";
import { pageNumber, recordId } from "../core/http/params.ts";
import { isRole, ROLES, type Role } from "../core/permissions.ts";

/** An optional text filter: blank (an empty box in a GET form) means absent. */
const filterText = (max: number, what: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().trim().max(max, `${what} is at most ${max} characters.`).optional(),
  );

/** An optional record id filter: blank means absent. */
const filterId = (what: string) =>
  z.preprocess((v) => (v === "" ? undefined : v), recordId(what).optional());

/** `/admin/users?q=…&page=N`: a prefix of a username or an e-mail address. */
export const AccountSearchQuery = z.object({
  q: filterText(100, "The search").default(""),
  page: pageNumber,
});

export const AccountParams = z.object({ login: z.string().max(100) });

/** The roles form: one checkbox per role, `roles` repeated; none ticked sends none. */
export const RolesInput = z.object({
  roles: z
    .union([z.string().max(20), z.array(z.string().max(20)).max(ROLES.length)], {
      message: "Choose roles from the list.",
    })
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((names) => names.every(isRole), {
      message: `Roles are ${ROLES.join(", ")}.`,
    })
    .transform((names) => names as Role[]),
});

/** `/admin/audit`: filters, and `before` (an entry id) for the next, older page. */
export const AuditQuery = z.object({
  action: filterText(100, "The action"),
  actor: filterText(100, "The actor"),
  subject_type: filterText(50, "The subject type"),
  subject_id: filterId("subject"),
  before: filterId("log entry"),
});
export type AuditQuery = z.output<typeof AuditQuery>;
