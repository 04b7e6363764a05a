/** Whether a Prisma error is a unique-constraint violation (Prisma's P2002 or Postgres' 23505 via the adapter). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as {
    code?: string;
    meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
  };
  return e?.code === "P2002" || e?.meta?.driverAdapterError?.cause?.originalCode === "23505";
}
