/**
 * Who may do what with a collection, from the viewer's role in it (issue 15). Owners run it:
 * its settings, its deletion, its owners and moderators. Owners and moderators look after its
 * works: the submissions queue, invitations of works, the reveal. Anyone else may read it.
 */
import type { CollectionRole } from "../core/db/schema.ts";
import { definePolicy } from "../core/policy.ts";

export interface CollectionSubject {
  /** The viewer's role in the collection, or null. */
  role: CollectionRole | null;
}

const owns = (_u: unknown, c: CollectionSubject) => c.role === "owner";
const maintains = (_u: unknown, c: CollectionSubject) =>
  c.role === "owner" || c.role === "moderator";

export type CollectionAction = "edit" | "delete" | "participants" | "moderate";

export const collectionPolicy = definePolicy<CollectionSubject, CollectionAction>({
  edit: owns,
  delete: owns,
  /** Add and remove owners and moderators, change roles. */
  participants: owns,
  /** The items queue, approving and rejecting, inviting works, revealing. */
  moderate: maintains,
});
