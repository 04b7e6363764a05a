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

  it("creates users and keys through the services: their rules apply, their audit records the CLI", async () => {
    const ownerEmail = `${uniqueName("cli-own")}@cli.test`;
    const created = await admin("accounts", "create", "--name", "cli-rules", "--email", ownerEmail);
    const accountId = String(/Created account cli-rules \(([0-9a-f-]{36})\)/.exec(created.stdout)?.[1]);
    const devEmail = `${uniqueName("cli-dev")}@cli.test`;
    const dev = await admin("users", "create", "--account", accountId, "--email", devEmail, "--role", "developer");
    expect(dev.stdout).toMatch(new RegExp(`^Created developer ${devEmail}\\. Password, shown only now: \\S{10,}\n$`));

    // The services' rules: one user per email, and the API's schema for what a user is.
    await expect(
      admin("users", "create", "--account", accountId, "--email", devEmail, "--role", "readonly"),
    ).rejects.toMatchObject({ code: 1, stderr: `A user with the email ${devEmail} already exists.\n` });
    await expect(
      admin("users", "create", "--account", accountId, "--email", "not-an-email", "--role", "readonly"),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/^Invalid arguments: email: /) });
    expect(await getPrisma().user.count({ where: { email: "not-an-email" } })).toBe(0);

    const key = await admin("keys", "create", "--email", devEmail, "--description", "cli rules");
    const secretId = String(/SecretId\s+(AKID\w+)/.exec(key.stdout)?.[1]);
    const stored = await getPrisma().apiKey.findUniqueOrThrow({ where: { secretId }, include: { user: true } });
    expect([stored.user.email, stored.description]).toEqual([devEmail, "cli rules"]);

    const events = await getPrisma().auditEvent.findMany({ where: { accountId }, orderBy: { id: "asc" } });
    expect(
      events.map((e) => [e.actorType, e.actorId, e.actorLabel, e.via, e.action, e.resourceName, e.outcome, e.details]),
    ).toEqual([
      ["cli", null, "admin CLI", "cli", "account.create", "cli-rules", "success", { owner: ownerEmail }],
      ["cli", null, "admin CLI", "cli", "user.create", devEmail, "success", { role: "developer", statements: [] }],
      [
        "cli",
        null,
        "admin CLI",
        "cli",
        "apikey.create",
        secretId,
        "success",
        { description: "cli rules", permissions: [] },
      ],
    ]);
  }, 120_000);

  it("refuses unknown commands and bad arguments with the usage, changing nothing", async () => {
    await expect(admin("users", "create", "--email", "x@y.z", "--role", "owner")).rejects.toMatchObject({ code: 1 });
    await expect(admin("frobnicate")).rejects.toMatchObject({ stderr: expect.stringContaining("usage:") });
    expect(await getPrisma().user.count({ where: { email: "x@y.z" } })).toBe(0);
  });
});
