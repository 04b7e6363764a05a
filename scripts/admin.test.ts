import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma";
import { uniqueName } from "@/lib/testing/fixtures";

const run = promisify(execFile);
const admin = (...args: string[]) =>
  run(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/admin.ts", ...args], {
    env: { ...process.env, OPENCMQ_DATA_DIR: path.join(".data", "admin-test") },
  });

describe("admin CLI", () => {
  it("creates a separate account with its owner, shows secrets once, and audits as the CLI", async () => {
    const email = `${uniqueName("cli")}@cli.test`;
    const { stdout } = await admin("accounts", "create", "--name", "cli-test", "--email", email);
    const secretId = /API SecretId\s+(AKID\w+)/.exec(stdout)?.[1];
    expect(secretId).toMatch(/^AKID[A-Za-z0-9]{32}$/);
    expect(stdout).toMatch(/API SecretKey\s+[A-Za-z0-9]{32}/);

    const listed = await admin("keys", "list");
    expect(listed.stdout).toContain(secretId);
    expect(listed.stdout).not.toMatch(/SecretKey/);

    await admin("keys", "disable", "--secret-id", String(secretId));
    const key = await getPrisma().apiKey.findUniqueOrThrow({ where: { secretId: String(secretId) } });
    expect(key.isDisabled).toBe(true);
    const events = await getPrisma().auditEvent.findMany({
      where: { accountId: key.accountId },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.via, e.action])).toEqual([
      ["cli", "account.create"],
      ["cli", "apikey.disable"],
    ]);
  });

  it("refuses unknown commands and bad arguments with the usage, changing nothing", async () => {
    await expect(admin("users", "create", "--email", "x@y.z", "--role", "owner")).rejects.toMatchObject({ code: 1 });
    await expect(admin("frobnicate")).rejects.toMatchObject({ stderr: expect.stringContaining("usage:") });
    expect(await getPrisma().user.count({ where: { email: "x@y.z" } })).toBe(0);
  });
});
