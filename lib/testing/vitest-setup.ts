import { afterAll, inject } from "vitest";
import { closePool } from "@/lib/db/pool";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.OPENCMQ_MASTER_KEY ??= "test-master-key";

afterAll(async () => {
  await closePool();
});
