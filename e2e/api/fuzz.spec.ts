import { randomInt } from "node:crypto";
import fc from "fast-check";
import { hmacBase64, stringToSign } from "@/lib/cmq/signature";
import { errorTable } from "@/lib/errors";
import { accountSnapshot } from "../account-snapshot";
import { basicAuth, expect, type Owner, test, uniqueName } from "../fixtures";
import { type CmqCase, cmqCase } from "../fuzz/cmq-cases";
import { type RestCase, restCase } from "../fuzz/rest-cases";

// Property-based fuzzing of both APIs against the built server (DESIGN.md §4 invariant 4): random
// and malformed parameters, encodings, sizes, credentials and signatures. Every answer must be in
// the API's documented error format — REST never 5xx, CMQ never 6000 — with the certain code
// where the request alone decides it, and a refused request must leave the account as it was.
//
// CI runs a bounded number of cases with a fixed seed; FUZZ_RUNS and FUZZ_SEED run more or others
// (e.g. FUZZ_RUNS=2000 FUZZ_SEED=$RANDOM npx playwright test e2e/api/fuzz.spec.ts --project=api).
// A failure prints the seed and the counterexample path to replay it (FUZZ_PATH).

const seed = Number(process.env.FUZZ_SEED ?? 20261130);
const numRuns = Number(process.env.FUZZ_RUNS ?? 80);
const replayPath = process.env.FUZZ_PATH;
// No shrinking: the server keeps state between cases, so a shrunk case would run against another state.
const settings = { seed, numRuns, endOnFailure: true, ...(replayPath ? { path: replayPath } : {}) };

/** Documented CMQ codes (reference/cmq-api.md §5); 6010/6020 are BatchDeleteMessage's partial and full failures. */
const cmqCodes = new Set([0, 4000, 4100, 4400, 4410, 4420, 4430, 4440, 4450, 4460, 4470, 6010, 6020, 7000]);

test.describe("fuzzing both APIs", () => {
  // Each case is a request and (when refused) a snapshot of six reads; a fixed budget per case.
  test.describe.configure({ timeout: 60_000 + numRuns * 1_000 });

  test("REST: random and malformed requests get a documented 4xx, never a 5xx, and a refusal changes nothing", async ({
    api,
    owner,
    baseURL,
  }) => {
    console.log(`REST fuzz: seed ${seed}, ${numRuns} cases (FUZZ_SEED / FUZZ_RUNS to change)`);
    const queue = uniqueName("fuzz-rest");
    expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
    let before = await accountSnapshot(api);
    await fc.assert(
      fc.asyncProperty(restCase({ queue, secretId: owner.secretId }), async (c) => {
        const response = await sendRest(String(baseURL), owner, c);
        const label = `${c.method} ${c.path.slice(0, 200)} (${c.auth})`;
        expect(response.status, label).toBeLessThan(500);
        expect(response.status < 300 || response.status >= 400, `${label}: no redirects`).toBe(true);
        if (response.status === 431) expect(c.path.length, label).toBeGreaterThan(8_000);
        else if (response.status >= 400) {
          const { error } = JSON.parse(response.text) as { error: { code: keyof typeof errorTable; message: string } };
          expect(Object.keys(errorTable), label).toContain(error.code);
          expect(errorTable[error.code].status, `${label}: ${error.code} has its documented status`).toBe(
            response.status,
          );
          expect(typeof error.message === "string" && error.message.length > 0, label).toBe(true);
        }
        if (c.expected && response.status !== 431) {
          expect({ status: response.status, code: response.code }, label).toEqual(c.expected);
        }
        const after = await accountSnapshot(api);
        if (response.status >= 400) expect(after, `${label} was refused and must change nothing`).toEqual(before);
        before = after;
      }),
      settings,
    );
  });

  test("CMQ: random and malformed actions get a documented code, never 6000, and a refusal changes nothing", async ({
    api,
    owner,
    baseURL,
  }) => {
    console.log(`CMQ fuzz: seed ${seed}, ${numRuns} cases (FUZZ_SEED / FUZZ_RUNS to change)`);
    const queue = uniqueName("fuzz-cmq");
    expect((await api.post("/api/v1/queues", { data: { name: queue } })).status()).toBe(201);
    let before = await accountSnapshot(api);
    await fc.assert(
      fc.asyncProperty(cmqCase(queue), async (c) => {
        const response = await sendCmq(String(baseURL), owner, c);
        const label = `${c.method} ${c.path} ${JSON.stringify(c.params).slice(0, 300)}${c.wire ? ` wire:${c.wire.name}` : ""}${c.repeat ? ` repeat:${c.repeat}` : ""} sig:${c.signature} id:${c.secretId} skew:${c.timestampSkew}`;
        if (response.status === 431) {
          // Node's HTTP parser refuses a request line over its header limit before the app sees it.
          expect(c.method === "GET" && response.url.length > 8_000, label).toBe(true);
          expect(await accountSnapshot(api), label).toEqual(before);
          return;
        }
        expect(response.status, label).toBe(200);
        const body = JSON.parse(response.text) as { code: number; message: string; requestId: string };
        expect(typeof body.requestId, label).toBe("string");
        expect(cmqCodes.has(body.code), `${label}: code ${body.code} ${body.message}`).toBe(true);
        if (body.code !== 0) expect(body.message, label).toMatch(/^\(\d{5}\)/);
        if (c.expected) {
          expect(c.expected.codes, `${label}: got ${body.code} ${body.message}`).toContain(body.code);
          if (c.expected.module) expect(body.message, label).toMatch(new RegExp(`^\\(${c.expected.module}\\)`));
        }
        const after = await accountSnapshot(api);
        const isRefused = body.code !== 0 && body.code !== 6010;
        if (isRefused) expect(after, `${label} was refused (${body.message}) and must change nothing`).toEqual(before);
        before = after;
      }),
      settings,
    );
  });
});

async function sendRest(baseURL: string, owner: Owner, c: RestCase) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (c.auth === "owner") headers.authorization = basicAuth(owner.secretId, owner.secretKey);
  if (c.auth === "wrong") headers.authorization = basicAuth(owner.secretId, `${owner.secretKey}x`);
  if (c.auth === "malformed") headers.authorization = "Basic !!!";
  const response = await fetch(`${baseURL}${c.path}`, {
    method: c.method,
    headers,
    body: c.method === "GET" || !c.body ? undefined : new Uint8Array(c.body),
    redirect: "manual",
  });
  const text = await response.text();
  // Node's HTTP parser refuses a request line over its header limit before the app sees it.
  if (response.status === 431) return { status: 431, text, code: undefined };
  let code: string | undefined;
  try {
    code = JSON.parse(text)?.error?.code;
  } catch {
    throw new Error(
      `${c.method} ${c.path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
    );
  }
  return { status: response.status, text, code };
}

async function sendCmq(baseURL: string, owner: Owner, c: CmqCase) {
  const secretId =
    c.secretId === "owner" ? owner.secretId : c.secretId === "unknown" ? `AKID${uniqueName("x")}` : "XKID123";
  const signing: [string, string][] = [
    ["Nonce", String(randomInt(1, 2 ** 31 - 1))],
    ["SecretId", secretId],
    ["SignatureMethod", c.signatureMethod],
    ["Timestamp", String(Math.floor(Date.now() / 1000) + c.timestampSkew)],
    ...c.params,
  ];
  const host = new URL(baseURL).host;
  let signature = hmacBase64(
    stringToSign({ method: c.method, host, path: c.path, params: signing }),
    owner.secretKey,
    c.signatureMethod,
  );
  if (c.signature === "corrupted") signature = `${signature.slice(1)}A`;
  const onWire = new URLSearchParams(signing.filter(([name]) => name !== c.wire?.name));
  if (c.signature !== "missing") onWire.append("Signature", signature);
  if (c.repeat) onWire.append(c.repeat, "again");
  const form = onWire.toString();
  const body = c.wire
    ? Buffer.concat([Buffer.from(`${form}&${encodeURIComponent(c.wire.name)}=`), c.wire.bytes])
    : Buffer.from(form);
  const response =
    c.method === "GET"
      ? await fetch(`${baseURL}${c.path}?${form}`, { redirect: "manual" })
      : await fetch(`${baseURL}${c.path}`, {
          method: "POST",
          body,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          redirect: "manual",
        });
  return { status: response.status, url: response.url, text: await response.text() };
}
