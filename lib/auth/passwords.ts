import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { settings } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { singleton } from "@/lib/singleton";

// scrypt from Node's crypto (memory-hard, OWASP's recommended parameters N=2^17, r=8, p=1).
const params = { N: 131_072, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;
const keyLength = 32;

// Each scrypt takes ~128 MiB and a libuv pool thread (4 by default, shared with gzip, file and
// DNS work) for a few hundred ms. Unbounded, a flood of logins queues everything else behind it;
// so at most `maxConcurrentHashes` run at once (OPENCMQ_MAX_CONCURRENT_HASHES; by default half the
// cores: the other half keeps serving). Checks anyone can trigger (login, password change:
// `whenBusy: "refuse"`) wait only in a short queue and beyond it are refused at once with
// THROTTLED (429 + Retry-After); authenticated admin work (creating users, accounts) just waits.
export const maxConcurrentHashes = settings().maxConcurrentHashes;
export const maxWaitingHashes = maxConcurrentHashes * 4;
export const hashRetryAfterSeconds = 2;

type Slots = { running: number; waiting: (() => void)[] };
const slots = singleton<Slots>("passwordHashSlots", () => ({ running: 0, waiting: [] }));

/** Whether an error means the password could not be checked for lack of a hashing slot. */
export const isHashingBusy = (error: unknown) => error instanceof AppError && error.code === "THROTTLED";

export type HashOptions = { whenBusy?: "wait" | "refuse" };

async function withHashSlot<T>(options: HashOptions, work: () => Promise<T>): Promise<T> {
  if (slots.running >= maxConcurrentHashes) {
    if (options.whenBusy === "refuse" && slots.waiting.length >= maxWaitingHashes) {
      throw new AppError("THROTTLED", "Too many password checks at once; retry in a few seconds.", {
        retryAfterSeconds: hashRetryAfterSeconds,
      });
    }
    await new Promise<void>((resolve) => slots.waiting.push(resolve));
  } else {
    slots.running++;
  }
  try {
    return await work();
  } finally {
    // Hand the slot straight to the next waiter (running stays the same), or free it.
    const next = slots.waiting.shift();
    if (next) next();
    else slots.running--;
  }
}

const derive = (password: string, salt: Buffer, options: ScryptOptions, hashOptions: HashOptions) =>
  withHashSlot(
    hashOptions,
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password.normalize("NFKC"), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
      ),
  );

export async function hashPassword(password: string, options: HashOptions = {}): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params, options);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string, options: HashOptions = {}): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(
    password,
    Buffer.from(salt, "base64url"),
    { N: Number(n), r: Number(r), p: Number(p), maxmem: params.maxmem },
    options,
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export function generatePassword(): string {
  return randomBytes(12).toString("base64url");
}
