import type { NextRequest } from "next/server";
import { handleCmqRequest } from "@/lib/cmq/handler";

// GET|POST /v2/index.php — the CMQ-compatible action API (Tencent's SDKs' default path)
const handle = (req: NextRequest) => handleCmqRequest(req, "/v2/index.php");

// Other methods get CMQ's own answer (4000, module 10410: only GET or POST).
export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
