import { errorResponse } from "@/lib/api/respond";
import { AppError } from "@/lib/errors";

// ANY /api/v1/* that matches no endpoint — the REST error format, not an HTML page
const notFound = () => errorResponse(new AppError("NOT_FOUND", "No such endpoint. See /api/v1/openapi.json."));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
