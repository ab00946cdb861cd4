import { z } from "zod";

const Count = (max: number, what: string) =>
  z.coerce
    .number({ error: `Enter how many ${what}.` })
    .int(`Enter a whole number of ${what}.`)
    .min(1, `Enter at least 1.`)
    .max(max, `At most ${max} at a time.`);

/** `POST /admin/invitations/send`: invite the next N requests in the queue. */
export const SendBatchInput = z.object({ count: Count(500, "invitations") });

/** `POST /admin/invitations/grant`: N more invitations for every account. */
export const GrantInput = z.object({ count: Count(100, "invitations") });
