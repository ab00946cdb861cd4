/** Plain async factories: each builds what it needs through the real commands. */
import { signUp } from "../../src/accounts/commands.ts";
import { pseudsOfUser } from "../../src/accounts/queries.ts";
import type { Db } from "../../src/core/db/index.ts";
import { postWork } from "../../src/works/commands.ts";
import { NewWorkInput } from "../../src/works/schemas.ts";

let seq = 0;
const CHEAP = { memoryCost: 256, timeCost: 1 };

export async function buildUser(db: Db, overrides: { login?: string; password?: string } = {}) {
  seq += 1;
  const login = overrides.login ?? `user_${seq}`;
  const result = await signUp(
    db,
    { login, email: `${login}@example.org`, password: overrides.password ?? "factory password" },
    CHEAP,
    Date.now(),
  );
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const [pseud] = await pseudsOfUser(db, result.value.userId);
  return { id: result.value.userId, login, pseudId: pseud!.id };
}

export interface WorkOverrides {
  pseudId?: number;
  now?: number;
  /** Any field of the new-work form, as the form sends it. */
  [field: string]: string | string[] | number | undefined;
}

/** Posts a work through `postWork`, parsing the same form fields the page sends. */
export async function buildWork(db: Db, overrides: WorkOverrides = {}) {
  const { pseudId, now, ...fields } = overrides;
  const author = pseudId ?? (await buildUser(db)).pseudId;
  seq += 1;
  const input = NewWorkInput.parse({
    title: `Work ${seq}`,
    rating: "General Audiences",
    warnings: ["No Archive Warnings Apply"],
    fandoms: "Factory Fandom",
    language: "en",
    text: "Some chapter text for a factory-made work.",
    ...fields,
  });
  const result = await postWork(db, { pseudId: author, input, now: now ?? Date.now() });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { ...result.value, pseudId: author };
}
