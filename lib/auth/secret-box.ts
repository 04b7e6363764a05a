import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { settings } from "@/lib/config";

// SecretKeys must stay readable to verify CMQ's HMAC signatures, so they are encrypted at rest
// (AES-256-GCM) with the server's master key: OPENCMQ_MASTER_KEY, which `npm start` creates in
// the data folder on first run.

function masterKey(): Buffer {
  const raw = settings().masterKey;
  if (!raw) throw new Error("OPENCMQ_MASTER_KEY is not set: start the service with `npm start`.");
  return createHash("sha256").update(raw).digest();
}

export function seal(plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", masterKey(), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
    ".",
  );
}

export function open(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !data) throw new Error("Unrecognised sealed secret.");
  const decipher = createDecipheriv("aes-256-gcm", masterKey(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
