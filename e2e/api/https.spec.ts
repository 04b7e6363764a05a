import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, uniqueName } from "../fixtures";
import { pythonTranscript } from "../sdk/python-transcript";
import { lines, runPythonCheck } from "../sdk/sdks";

// HTTPS straight from `npm start` (OPENCMQ_TLS_CERT / OPENCMQ_TLS_KEY): a self-signed certificate made
// here with openssl, `npm start` (scripts/start.ts, on the test database, two app processes) serving
// it, and Tencent's unmodified Python SDK running its whole check over https:// — trusting that
// certificate through SSL_CERT_FILE, the variable OpenSSL (so Python's default SSL context) reads
// for its CA file. Without it the SDK must refuse the server: the certificate is really checked.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET over https trusting only `ca`: status and body. */
function httpsGet(url: string, ca: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca: ca ?? undefined, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
  });
}

function makeSelfSignedCertificate(dir: string) {
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=opencmq-e2e",
    "-addext",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout",
    key,
    "-out",
    cert,
  ]);
  return { cert, key };
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
  });
}

test("npm start serves HTTPS given a certificate and key: Tencent's Python SDK over https://, health probes", async ({
  owner,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const port = Number(new URL(String(baseURL)).port) + 88;
  const dir = mkdtempSync(path.join(tmpdir(), "opencmq-https-"));
  const { cert, key } = makeSelfSignedCertificate(dir);
  const ca = readFileSync(cert, "utf8");
  const origin = `https://127.0.0.1:${port}`;
  let output = "";
  // `npm start` itself (scripts/start.ts), on the journeys' database: it migrates (nothing to do),
  // finds the owner account there, and starts the front with TLS in two processes.
  const server = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      OPENCMQ_PROCESSES: "2",
      OPENCMQ_TLS_CERT: cert,
      OPENCMQ_TLS_KEY: key,
      OPENCMQ_DATA_DIR: dir,
      NEXTAUTH_URL: origin,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  server.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  try {
    const deadline = Date.now() + 90_000;
    while (!output.includes("all 2 app processes are serving")) {
      expect(server.exitCode, output).toBeNull();
      expect(Date.now() < deadline, `npm start did not serve within 90 s:\n${output}`).toBe(true);
      await sleep(250);
    }
    expect(output).toContain(`console and APIs on https://localhost:${port}`);

    // The health probes, over TLS, verified against the certificate.
    const live = await httpsGet(`${origin}/api/health/live`, ca);
    expect([live.status, JSON.parse(live.body)]).toEqual([200, { status: "live" }]);
    const ready = await httpsGet(`${origin}/api/health/ready`, ca);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: "ready",
      checks: { database: { ok: true, isPrimary: true }, migrations: { ok: true, missing: [] }, replication: null },
    });
    expect(JSON.parse((await httpsGet(`${origin}/api/health`, ca)).body)).toEqual({ status: "ok" });
    // The console's pages come over TLS too (Next's half of the front).
    expect((await httpsGet(`${origin}/login`, ca)).status).toBe(200);

    // Without trusting the certificate, a client refuses the server; plain HTTP on the port gets nowhere.
    await expect(httpsGet(`${origin}/api/health`, null)).rejects.toThrow(/self[- ]signed/i);
    const plain = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5000) }).then(
      (res) => res.status,
      () => "refused",
    );
    expect(plain).not.toBe(200);

    const credentials = { endpoint: origin, secretId: owner.secretId, secretKey: owner.secretKey };
    const untrusted = await runPythonCheck(credentials, uniqueName("pys"), "check.py", {
      SSL_CERT_FILE: path.join(dir, "none.pem"),
    });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stdout + untrusted.stderr).toMatch(/CERTIFICATE_VERIFY_FAILED|certificate verify failed/);

    const result = await runPythonCheck(credentials, uniqueName("pys"), "check.py", { SSL_CERT_FILE: cert });
    expect(result.stderr).toBe("");
    expect(lines(result.stdout)).toEqual(pythonTranscript);
    expect(result.code).toBe(0);
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
