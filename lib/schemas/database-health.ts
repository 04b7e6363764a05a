import { z } from "zod";

// GET /api/v1/database/health (monitor:database): the PostgreSQL signals that come before a slow
// queue — table and index growth, dead rows waiting for vacuum, whatever holds vacuum back, and
// connection use. Read from PostgreSQL's statistics views; the figures are the installation's (the
// database all accounts share), never a row's content, a query's text or a client's address.

export const tableHealthSchema = z.object({
  name: z.string(),
  /** heap + TOAST, bytes */
  tableBytes: z.number(),
  /** all its indexes, bytes */
  indexBytes: z.number(),
  liveRows: z.number(),
  deadRows: z.number(),
  /** deadRows / (liveRows + deadRows); null for an empty table */
  deadRatio: z.number().nullable(),
  lastVacuum: z.string().nullable(),
  lastAutovacuum: z.string().nullable(),
  lastAnalyze: z.string().nullable(),
  lastAutoanalyze: z.string().nullable(),
  autovacuumCount: z.number(),
});
export type TableHealth = z.infer<typeof tableHealthSchema>;

export const indexHealthSchema = z.object({
  name: z.string(),
  table: z.string(),
  bytes: z.number(),
  /** index scans since the statistics were last reset */
  scans: z.number(),
});

/** A session, prepared transaction or replication slot that keeps rows vacuum could remove. */
export const horizonHolderSchema = z.object({
  kind: z.enum(["transaction", "prepared", "slot"]),
  /** pid, prepared transaction id or slot name */
  id: z.string(),
  /** application_name of a session; the slot's type ("physical"/"logical") */
  label: z.string(),
  /** a session's state (active, idle in transaction…), a slot's active/inactive */
  state: z.string(),
  /** transactions since its snapshot (xmin age); vacuum keeps every row version younger than that */
  xminAge: z.number().nullable(),
  /** how long its transaction has been open (sessions, prepared transactions) */
  ageSeconds: z.number().nullable(),
  /** WAL a slot keeps on disk, bytes */
  retainedWalBytes: z.number().nullable(),
});
export type HorizonHolder = z.infer<typeof horizonHolderSchema>;

export const warningSchema = z.object({
  signal: z.enum(["deadRows", "horizon", "connections", "wraparound", "slot"]),
  message: z.string(),
});
export type HealthWarning = z.infer<typeof warningSchema>;

export const databaseHealthSchema = z.object({
  at: z.string(),
  serverVersion: z.string(),
  databaseBytes: z.number(),
  /** age(datfrozenxid): PostgreSQL forces an anti-wraparound vacuum at autovacuum_freeze_max_age */
  transactionIdAge: z.number(),
  freezeMaxAge: z.number(),
  tables: z.array(tableHealthSchema),
  indexes: z.array(indexHealthSchema),
  /** oldest first: the first one is what vacuum waits for */
  horizonHolders: z.array(horizonHolderSchema),
  connections: z.object({
    /** client connections to the whole server */
    used: z.number(),
    max: z.number(),
    /** kept for superusers: ordinary roles can use max − reserved */
    reserved: z.number(),
    byState: z.record(z.string(), z.number()),
    /** this app: processes × pool size, the most it opens */
    appMax: z.number(),
  }),
  /** false when the database role may not read other sessions' details (pg_read_all_stats) */
  isComplete: z.boolean(),
  warnings: z.array(warningSchema),
});
export type DatabaseHealth = z.infer<typeof databaseHealthSchema>;
