import { z } from "zod";
import { recordId } from "../core/http/params.ts";
import { limits } from "../core/limits.ts";

export const LoginParams = z.object({ login: z.string().max(100) });

export const ExportParams = z.object({
  login: z.string().max(100),
  id: recordId("an export"),
});

export const OrphanParams = z.object({ workId: recordId("a work") });

/** A ticked box sends "1"; anything else present counts as ticked too, absent as not. */
const ticked = z
  .string()
  .max(10)
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0");

const confirmation = (message: string) =>
  z
    .string({ message })
    .max(10)
    .refine((v) => v !== "" && v !== "0", message);

export const OrphanInput = z.object({
  keep_pseud: ticked,
  confirm: confirmation("Tick the box to confirm that you are giving this work away for good."),
});
export type OrphanInput = z.output<typeof OrphanInput>;

/**
 * Closing an account: the password again, the confirmation, and one `work_<id>` field per
 * work (read by the command against the works the account has; other fields are ignored).
 */
export const DeleteAccountInput = z
  .object({
    password: z.string().min(1, "Enter your password.").max(limits.password.max),
    confirm: confirmation("Tick the box to confirm that your account will be deleted for good."),
  })
  .catchall(z.union([z.string().max(20), z.array(z.string().max(20)).max(3)]));
export type DeleteAccountInput = z.output<typeof DeleteAccountInput>;
