import { hash, verify } from "@node-rs/argon2";

/** Argon2id (the library exports it as a const enum, which isolated modules cannot read). */
const ARGON2ID = 2;

export interface HashCost {
  memoryCost: number;
  timeCost: number;
}

export function hashPassword(password: string, cost: HashCost): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...cost, parallelism: 1 });
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Spent on unknown accounts too, so timing does not reveal which usernames exist. */
let dummyHash: Promise<string> | undefined;
export function dummyVerify(password: string, cost: HashCost): Promise<boolean> {
  dummyHash ??= hashPassword("not a real password, only for timing", cost);
  return dummyHash.then((h) => verifyPassword(h, password));
}
