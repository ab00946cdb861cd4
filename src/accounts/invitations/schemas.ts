import { z } from "zod";
import { limits } from "../../core/limits.ts";

const Email = z
  .string()
  .trim()
  .max(limits.email.max, "Email is too long.")
  .pipe(z.email("Enter a valid email address."));

/** A code as issueInvitation makes them (base64url); anything else cannot be one. */
export const InvitationCode = z
  .string()
  .trim()
  .min(1, "Enter your invitation code.")
  .max(100, "That invitation code is not valid.")
  .regex(/^[A-Za-z0-9_-]+$/, "That invitation code is not valid.");

export const InvitationParams = z.object({ code: z.string().max(200) });

/** `/signup?invitation=CODE`: the code fills the form's hidden field. */
export const SignupPageQuery = z.object({ invitation: z.string().max(200).optional() });

/** `POST /invite_requests`: a guest asks for an invitation. */
export const InviteRequestInput = z.object({ email: Email });

/** `POST /users/:login/invitations`: no address makes a link; an address mails it. */
export const ShareInvitationInput = z.object({
  email: z
    .string()
    .trim()
    .max(limits.email.max, "Email is too long.")
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email("Enter a valid email address.").nullable()),
});
