-- Progress of singleton background work, shared by every app process: the retention walk keeps its
-- cursor here, so the walk continues wherever the next tick runs instead of restarting per process.
CREATE TABLE "worker_state" (
  "name" TEXT NOT NULL PRIMARY KEY,
  "cursor" BIGINT NOT NULL DEFAULT 0,
  "walk_started_at" TIMESTAMPTZ(3),
  "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
