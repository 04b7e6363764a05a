import { NextResponse } from "next/server";
import { buildOpenApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of the REST API (public: it holds no data)
export function GET() {
  return NextResponse.json(buildOpenApiDocument());
}
