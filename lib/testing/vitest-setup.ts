import { afterAll, inject } from "vitest";
import { fillInSettings } from "@/lib/config";
import { closePool } from "@/lib/db/pool";

// The test set-up is a starter like `npm start`: it fills in the database of this run and a master key.
fillInSettings({
  DATABASE_URL: inject("databaseUrl"),
  OPENCMQ_MASTER_KEY: process.env.OPENCMQ_MASTER_KEY ?? "test-master-key",
});

afterAll(async () => {
  await closePool();
});
