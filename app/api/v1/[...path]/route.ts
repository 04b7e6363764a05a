import { NextResponse } from "next/server";

// ANY /api/v1/* that matches no endpoint — the REST error format, not an HTML page
const notFound = () =>
  NextResponse.json(
    { error: { code: "NOT_FOUND", message: "No such endpoint. See /api/v1/openapi.json." } },
    { status: 404 },
  );

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
