import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/prisma";
import { createTestPrincipal, uniqueName } from "@/lib/testing/fixtures";
import { listKeys } from "./api-keys";
import { createUser } from "./users";

describe("listKeys", () => {
  it("names the entries of a key its user's role no longer holds (they grant nothing)", async () => {
    const p = await createTestPrincipal();
    const user = await createUser(p, { email: `${uniqueName("dev")}@test.local`, name: "Dev", role: "developer" });
    // As a key made while the user was an admin, before the owner lowered the role.
    const key = await getPrisma().apiKey.create({
      data: {
        accountId: p.accountId,
        userId: user.id,
        secretId: `AKID${uniqueName("k")}`,
        secretKeyEncrypted: "sealed",
        permissions: ["user:read", "queue:*", "message:peek", "apikey:manage"],
      },
    });
    const listed = (await listKeys(p)).find((k) => k.id === key.id);
    expect(listed?.ineffectivePermissions).toEqual(["user:read", "apikey:manage"]);
  });
});
