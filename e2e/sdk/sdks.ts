import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

// Tencent's official SDKs are kept unmodified in ../shared/sdks beside the project (CI clones the
// project next to shared/); OPENCMQ_SDKS_DIR points elsewhere. They are never copied in here.
export const projectRoot = path.resolve(__dirname, "../..");

export function sdksDir(): string {
  const dir = process.env.OPENCMQ_SDKS_DIR
    ? path.resolve(process.env.OPENCMQ_SDKS_DIR)
    : path.resolve(projectRoot, "../shared/sdks");
  if (!existsSync(dir)) {
    throw new Error(
      `Tencent's CMQ SDKs are not at ${dir}: put shared/sdks beside the project or set OPENCMQ_SDKS_DIR.`,
    );
  }
  return dir;
}

export type Run = { code: number | null; stdout: string; stderr: string };

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<Run>((resolve, reject) => {
    execFile(
      command,
      args,
      { ...options, timeout: options.timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error?.code === "ENOENT") {
          return reject(
            new Error(`${command} is not installed: the SDK tests need go and python3 (.ci/run installs them)`),
          );
        }
        if (error && typeof error.code !== "number") {
          return reject(new Error(`${command}: ${error.message}\n${stderr}`));
        }
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

export type Credentials = { endpoint: string; secretId: string; secretKey: string };

const cmqEnv = (c: Credentials, extra: Record<string, string>) => ({
  ...process.env,
  CMQ_ENDPOINT: c.endpoint,
  CMQ_SECRET_ID: c.secretId,
  CMQ_SECRET_KEY: c.secretKey,
  ...extra,
});

/**
 * Runs e2e/sdk/python/check.py (or another driver there) with the Python SDK on its path, in a temporary working directory
 * (the SDK writes CMQ_python_sdk.log into it) and without writing bytecode into the SDK's folder.
 */
export async function runPythonCheck(
  credentials: Credentials,
  prefix: string,
  script = "check.py",
  extraEnv: Record<string, string> = {},
): Promise<Run> {
  const sdk = path.join(sdksDir(), "cmq-python-sdk");
  const cwd = await mkdtemp(path.join(tmpdir(), "opencmq-sdk-python-"));
  try {
    return await run(process.env.PYTHON ?? "python3", [path.join(projectRoot, "e2e/sdk/python", script)], {
      cwd,
      env: cmqEnv(credentials, { CMQ_PREFIX: prefix, PYTHONPATH: sdk, PYTHONDONTWRITEBYTECODE: "1", ...extraEnv }),
      timeoutMs: 120_000,
    });
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}

/**
 * Builds e2e/sdk/go against the Go SDK, offline, with a go.mod generated under .data whose replace
 * names the SDK folder in use (the committed go.mod's relative replace fits only the default layout).
 * Go's build cache lives in .data too, so rebuilding an unchanged program takes about a second.
 */
export async function buildGoCheck(): Promise<string> {
  const sdk = path.join(sdksDir(), "cmq-go-sdk");
  const work = path.join(projectRoot, ".data", "sdk-go");
  await mkdir(work, { recursive: true });
  const modfile = path.join(work, "go.mod");
  await writeFile(
    modfile,
    [
      "module opencmq.local/sdk-check",
      "",
      "go 1.18",
      "",
      "require github.com/TencentCloud/tencentcloud-cmq-sdk-go v0.0.0",
      "",
      `replace github.com/TencentCloud/tencentcloud-cmq-sdk-go => ${sdk}`,
      "",
    ].join("\n"),
  );
  const binary = path.join(work, "cmq-check");
  const built = await run(process.env.GO ?? "go", ["build", `-modfile=${modfile}`, "-o", binary, "."], {
    cwd: path.join(projectRoot, "e2e/sdk/go"),
    env: {
      ...process.env,
      GOFLAGS: "-mod=mod",
      GOPROXY: "off",
      GOTOOLCHAIN: "local",
      GOCACHE: path.join(projectRoot, ".data", "go-cache"),
      GOPATH: path.join(projectRoot, ".data", "go-path"),
    },
    timeoutMs: 300_000,
  });
  if (built.code !== 0) throw new Error(`go build failed (${built.code}):\n${built.stdout}${built.stderr}`);
  return binary;
}

export function runGoCheck(
  binary: string,
  credentials: Credentials,
  queue: string,
  missingQueue: string,
  extra: Record<string, string> = {},
) {
  return run(binary, [], {
    cwd: projectRoot,
    env: cmqEnv(credentials, { CMQ_QUEUE: queue, CMQ_MISSING_QUEUE: missingQueue, ...extra }),
    timeoutMs: 120_000,
  });
}

/** The program's output as lines, for an exact comparison. */
export const lines = (text: string) => text.trimEnd().split("\n");
