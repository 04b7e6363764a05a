import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getPool } from "./pool";

const globalForPrisma = globalThis as unknown as { opencmqPrisma?: PrismaClient };

/** Prisma for CRUD, over the same pool as the hot-path SQL. */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.opencmqPrisma) {
    globalForPrisma.opencmqPrisma = new PrismaClient({ adapter: new PrismaPg(getPool()) });
  }
  return globalForPrisma.opencmqPrisma;
}
