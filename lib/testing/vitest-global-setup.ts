import type { TestProject } from "vitest/node";
import { createThrowawayDatabase } from "./throwaway-database";

export default async function setup(project: TestProject) {
  const database = await createThrowawayDatabase("unit");
  project.provide("databaseUrl", database.url);
  return () => database.drop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
